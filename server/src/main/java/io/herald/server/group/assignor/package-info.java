/**
 * Server-side partition assignors of KIP-848's consumer protocol ({@code group.consumer.assignors}): {@link
 * io.herald.server.group.assignor.UniformAssignor} ({@code uniform}) and {@link
 * io.herald.server.group.assignor.RangeAssignor} ({@code range}).
 */
package io.herald.server.group.assignor;
