/** The memory-mapped sparse indexes of a segment: offset to file position, and timestamp to offset. */
package io.herald.log.index;
