/**
 * The REST API's endpoints, one class per area (cluster, topics, messages, groups, live traffic, JMS and security
 * status), each a thin layer over {@link io.herald.server.api.BrokerAdmin} that parses parameters and shapes JSON.
 * {@code docs/rest-api.md} documents every endpoint.
 */
package io.herald.console.rest;
