/** The security audit log. */
package io.herald.security.audit;
