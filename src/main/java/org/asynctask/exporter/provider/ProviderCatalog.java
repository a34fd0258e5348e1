package org.asynctask.exporter.provider;

import java.util.List;
import java.util.function.Predicate;

/** The providers a build knows, as the configuration's validation sees them: their ids and their sources' rules. */
public interface ProviderCatalog {
    /** The registered provider ids, in registration order. */
    List<String> ids();

    /** The rules of the provider with this id, or null when no provider has it. */
    SourceRules rules(String id);

    /** The ids of the providers whose rules match, for messages ("only … sources use …"). */
    default List<String> idsWhere(Predicate<SourceRules> test) {
        return ids().stream().filter(id -> test.test(rules(id))).toList();
    }
}
