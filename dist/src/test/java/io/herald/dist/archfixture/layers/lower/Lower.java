package io.herald.dist.archfixture.layers.lower;

import io.herald.dist.archfixture.layers.upper.Upper;

/** A lower layer that wrongly uses the upper one. */
public final class Lower {
    public String describe(Upper upper) {
        return String.valueOf(upper);
    }
}
