/**
 * The engine's view of the file system, a seam so that tests can run the engine on an in-memory fake that loses
 * unflushed writes or runs out of space, and the broker on the real disk.
 */
package io.herald.log.io;
