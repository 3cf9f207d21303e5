package io.herald.dist.archfixture.cycle.a;

import io.herald.dist.archfixture.cycle.b.B;

/** Half of a package cycle: a uses b. */
public final class A {
    public B partner() {
        return new B();
    }
}
