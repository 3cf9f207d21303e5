/**
 * The distribution: {@code herald-<version>.tar.gz} with {@code bin/herald-server} (the broker, {@code
 * io.herald.server.Main}) and {@code bin/herald} (the command-line tool, {@link io.herald.dist.cli}). The scripts and
 * configuration files are in {@code src/main/dist}, the assembly in {@code src/assembly}.
 */
package io.herald.dist;
