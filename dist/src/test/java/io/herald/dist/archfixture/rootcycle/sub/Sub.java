package io.herald.dist.archfixture.rootcycle.sub;

import io.herald.dist.archfixture.rootcycle.Root;

/** A subpackage class that uses its root package. */
public final class Sub {
    public Root root() {
        return new Root();
    }
}
