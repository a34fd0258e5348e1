package org.asynctask.exporter.simulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which functions the simulators serve: the demo's ten (three FC 3.0, three FC 2.0, two FunctionGraph,
 * two SCF), or {@code perProvider} functions of every provider, as a large account has. A large
 * population is spread over sources of at most {@value #PER_SOURCE} functions, each with a key of its
 * own: SCF allows 20 requests a second per key, which 250 functions polled every 30 s stay well under.
 */
public record SimPopulation(int perProvider) {
    /** The demo's functions. */
    public static final SimPopulation DEMO = new SimPopulation(0);

    public static final int PER_SOURCE = 250;
    /** FC 2.0 services and SCF namespaces hold this many functions each. */
    static final int PER_NAMESPACE = 100;

    public SimPopulation {
        if (perProvider < 0) {
            throw new IllegalArgumentException("--functions: " + perProvider + " is not a positive number");
        }
    }

    /** {@code simulate --functions N}. */
    public static SimPopulation functions(int perProvider) {
        if (perProvider < 1 || perProvider > 100_000) {
            throw new IllegalArgumentException("--functions: " + perProvider + " is out of range 1..100000");
        }
        return new SimPopulation(perProvider);
    }

    public boolean isDemo() {
        return perProvider == 0;
    }

    /** Sources per provider in the configuration the simulator writes. */
    int sources() {
        return (perProvider + PER_SOURCE - 1) / PER_SOURCE;
    }

    /** Function {@code i} (0-based), with the namespace its provider gives it: FC 2.0 service, package, SCF namespace. */
    static String function(String namespacePrefix, int i) {
        String name = String.format(Locale.ROOT, "fn-%05d", i + 1);
        return namespacePrefix == null
                ? name
                : String.format(Locale.ROOT, "%s-%03d/%s", namespacePrefix, i / PER_NAMESPACE + 1, name);
    }

    /** The functions of source {@code s} (0-based) of a provider. */
    List<String> functionsOfSource(String namespacePrefix, int s) {
        List<String> out = new ArrayList<>();
        for (int i = s * PER_SOURCE; i < Math.min(perProvider, (s + 1) * PER_SOURCE); i++) {
            out.add(function(namespacePrefix, i));
        }
        return out;
    }

    /** Key id of source {@code s}: the demo key with a number (the demo key itself stays valid too). */
    static String keyId(String demoKeyId, int s) {
        return String.format(Locale.ROOT, "%s%03d", demoKeyId, s + 1);
    }

    /** Every key id the simulator accepts, each with the provider's demo secret. */
    Map<String, String> keys(String demoKeyId, String secret) {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put(demoKeyId, secret);
        for (int s = 0; s < sources(); s++) {
            keys.put(keyId(demoKeyId, s), secret);
        }
        return keys;
    }
}
