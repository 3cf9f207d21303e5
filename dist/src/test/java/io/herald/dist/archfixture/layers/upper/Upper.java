package io.herald.dist.archfixture.layers.upper;

import io.herald.dist.archfixture.layers.lower.Lower;

/** An upper layer that uses the lower one, as it may. */
public final class Upper {
    public Lower lower() {
        return new Lower();
    }
}
