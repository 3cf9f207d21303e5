/**
 * The {@code herald} command-line tool (picocli): {@code topics}, {@code produce}, {@code consume}, {@code groups} and
 * {@code perf}. Every command drives a broker through kafka-clients' {@code Admin}, {@code KafkaProducer} and {@code
 * KafkaConsumer}, so it works against Herald and against any Kafka broker alike. {@link
 * io.herald.dist.cli.HeraldCli} is the entry point; each command prints its results to standard output and its errors
 * as one line on standard error (a stack trace only with {@code --verbose}), and exits 0 on success, 1 on an error, 2
 * on wrong usage.
 */
package io.herald.dist.cli;
