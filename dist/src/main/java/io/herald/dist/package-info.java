/**
 * The distribution's programs. Until the broker exists (issue 3) that is {@link io.herald.dist.EngineDemo}, a demo of
 * the log engine that {@code README.md}'s first command builds and runs.
 */
package io.herald.dist;
