package dev.llmgateway.keys;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Key names as metric label values: the first {@code max} names seen have their own, every later one is {@code _OTHER}. */
final class KeyLabels {

    static final String OTHER = "_OTHER";

    private final int max;
    private final Set<String> labelled = ConcurrentHashMap.newKeySet();

    KeyLabels(int max) {
        this.max = max;
    }

    String of(String name) {
        if (name == null || name.isEmpty()) {
            return "";
        }
        if (labelled.contains(name)) {
            return name;
        }
        synchronized (this) {
            if (labelled.size() < max) {
                labelled.add(name);
                return name;
            }
        }
        return labelled.contains(name) ? name : OTHER;
    }

    boolean labelled(String name) {
        return labelled.contains(name);
    }
}
