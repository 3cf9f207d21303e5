/**
 * The console's HTTP plumbing on Undertow: JSON in and out ({@link io.herald.console.http.Json}), request parameters
 * ({@link io.herald.console.http.Params}), the mapping of every failure to an HTTP status and a message for people
 * ({@link io.herald.console.http.ErrorResponses}), and the route table that runs each REST endpoint on a worker thread
 * ({@link io.herald.console.http.Routes}).
 */
package io.herald.console.http;
