package io.herald.security.store;

import java.io.IOException;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Where a security store's content is kept when several brokers share it (a cluster's metadata) rather than in the
 * broker's own file alone. A change is a function of the current lines, applied where they are kept — again if
 * another change got there first, so it must have no side effect but its result — and {@link #update} returns once
 * this broker's store holds the outcome (the owner of the shared copy hands every new version to each broker's
 * store, this one included, through the store's {@code replaceAll}).
 *
 * <p>Thread-safety: implementations are thread-safe.
 */
@FunctionalInterface
public interface SharedLines {

    /**
     * Applies {@code change} to the shared lines.
     *
     * @throws IOException if the shared copy could not be changed (nothing was changed then)
     */
    void update(UnaryOperator<List<String>> change) throws IOException;
}
