/** Crash-safe local files for security state (credentials, ACLs). */
package io.herald.security.store;
