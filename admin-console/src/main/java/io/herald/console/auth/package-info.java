/**
 * The console's login when the broker has security on: SCRAM password check, sessions in HttpOnly cookies, CSRF
 * tokens, and the viewer / operator / admin roles derived from the ACLs, enforced in front of every API route.
 */
package io.herald.console.auth;
