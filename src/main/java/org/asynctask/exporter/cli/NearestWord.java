package org.asynctask.exporter.cli;

import java.util.List;

/** "Did you mean …?" for a mistyped option or command: the known word fewest edits away. */
final class NearestWord {
    private NearestWord() {}

    /** ", did you mean X?" for the known word nearest to {@code word} (at most 3 edits away), or "" and the list. */
    static String suggest(String word, List<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = editDistance(word, k);
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return best != null && bestDistance <= 3
                ? " (did you mean " + best + "?)"
                : " (known: " + String.join(", ", known) + ")";
    }

    private static int editDistance(String a, String b) {
        int[] row = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            row[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int above = row[j];
                row[j] = Math.min(
                        Math.min(row[j] + 1, row[j - 1] + 1), diagonal + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
                diagonal = above;
            }
        }
        return row[b.length()];
    }
}
