package io.herald.dist.archfixture.rootcycle;

import io.herald.dist.archfixture.rootcycle.sub.Sub;

/** A root package class that uses a subpackage which uses it back. */
public final class Root {
    public Sub sub() {
        return new Sub();
    }
}
