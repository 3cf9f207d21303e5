package io.herald.dist.archfixture.cycle.b;

import io.herald.dist.archfixture.cycle.a.A;

/** The other half of the package cycle: b uses a. */
public final class B {
    public A partner() {
        return new A();
    }
}
