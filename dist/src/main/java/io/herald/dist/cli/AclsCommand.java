package io.herald.dist.cli;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code herald acls list|add|remove}: ACLs through the Admin API (CreateAcls, DescribeAcls, DeleteAcls), with the
 * options of Kafka's {@code kafka-acls.sh} where they mean the same.
 *
 * <p>Thread-safety: as every {@link CliCommand}, an instance runs once on the calling thread.
 */
@Command(
        name = "acls",
        description = "Lists, adds and removes ACLs.",
        mixinStandardHelpOptions = true,
        subcommands = {AclsCommand.ListAcls.class, AclsCommand.Add.class, AclsCommand.Remove.class})
final class AclsCommand extends CliCommand.Group {

    /** The resource an ACL is about: exactly one of these. */
    static final class Resource {
        @Option(names = "--topic", paramLabel = "NAME")
        String topic;

        @Option(names = "--group", paramLabel = "NAME")
        String group;

        @Option(names = "--transactional-id", paramLabel = "ID")
        String transactionalId;

        @Option(names = "--cluster")
        boolean cluster;

        ResourceType type() {
            return topic != null
                    ? ResourceType.TOPIC
                    : group != null
                            ? ResourceType.GROUP
                            : transactionalId != null ? ResourceType.TRANSACTIONAL_ID : ResourceType.CLUSTER;
        }

        String name() {
            return topic != null
                    ? topic
                    : group != null ? group : transactionalId != null ? transactionalId : "kafka-cluster";
        }
    }

    static AclOperation operation(String name) {
        AclOperation op = AclOperation.fromString(name.replace('-', '_'));
        if (op == AclOperation.UNKNOWN || op == AclOperation.ANY) {
            throw new CliException("Unknown operation " + name + "; use one of READ, WRITE, CREATE, DELETE, ALTER,"
                    + " DESCRIBE, CLUSTER_ACTION, DESCRIBE_CONFIGS, ALTER_CONFIGS, IDEMPOTENT_WRITE, ALL.");
        }
        return op;
    }

    static void print(Collection<AclBinding> acls, java.io.PrintWriter out) {
        Table table = new Table("PRINCIPAL", "PERMISSION", "OPERATION", "RESOURCE", "PATTERN", "HOST");
        acls.stream()
                .sorted(Comparator.comparing((AclBinding b) -> b.entry().principal())
                        .thenComparing(b -> b.pattern().name()))
                .forEach(b -> table.row(
                        b.entry().principal(),
                        b.entry().permissionType().name(),
                        b.entry().operation().name(),
                        b.pattern().resourceType().name().toLowerCase(Locale.ROOT) + ":"
                                + b.pattern().name(),
                        b.pattern().patternType().name(),
                        b.entry().host()));
        if (table.size() > 0) {
            table.print(out);
        }
    }

    @Command(
            name = "list",
            description = "Lists ACLs, all or those matching the options.",
            mixinStandardHelpOptions = true)
    static final class ListAcls extends CliCommand {

        @ArgGroup(exclusive = true)
        Resource resource;

        @Option(names = "--principal", paramLabel = "Type:name")
        String principal;

        @Override
        int run() throws Exception {
            ResourcePatternFilter pattern = resource == null
                    ? ResourcePatternFilter.ANY
                    : new ResourcePatternFilter(resource.type(), resource.name(), PatternType.MATCH);
            try (Admin admin = clients().admin()) {
                print(
                        admin.describeAcls(new AclBindingFilter(
                                        pattern,
                                        new AccessControlEntryFilter(
                                                principal, null, AclOperation.ANY, AclPermissionType.ANY)))
                                .values()
                                .get(),
                        out());
            }
            return HeraldCli.EXIT_OK;
        }
    }

    @Command(name = "add", description = "Adds ACLs: one per operation.", mixinStandardHelpOptions = true)
    static final class Add extends CliCommand {

        @ArgGroup(exclusive = true, multiplicity = "1")
        Resource resource;

        @Option(names = "--principal", required = true, paramLabel = "Type:name", description = "e.g. User:alice")
        String principal;

        @Option(
                names = "--operation",
                required = true,
                split = ",",
                description = "READ, WRITE, CREATE, DELETE, ALTER, DESCRIBE, DESCRIBE_CONFIGS, ALTER_CONFIGS, ...")
        List<String> operations;

        @Option(names = "--deny", description = "A DENY ACL (default: ALLOW).")
        boolean deny;

        @Option(names = "--prefixed", description = "The name is a prefix (PREFIXED pattern; default LITERAL).")
        boolean prefixed;

        @Option(names = "--host", defaultValue = "*", description = "Client address (default: any).")
        String host;

        @Override
        int run() throws Exception {
            List<AclBinding> bindings = new ArrayList<>();
            for (String op : operations) {
                bindings.add(new AclBinding(
                        new ResourcePattern(
                                resource.type(),
                                resource.name(),
                                prefixed ? PatternType.PREFIXED : PatternType.LITERAL),
                        new AccessControlEntry(
                                principal,
                                host,
                                operation(op),
                                deny ? AclPermissionType.DENY : AclPermissionType.ALLOW)));
            }
            try (Admin admin = clients().admin()) {
                admin.createAcls(bindings).all().get();
            }
            print(bindings, out());
            return HeraldCli.EXIT_OK;
        }
    }

    @Command(name = "remove", description = "Removes the ACLs matching the options.", mixinStandardHelpOptions = true)
    static final class Remove extends CliCommand {

        @ArgGroup(exclusive = true, multiplicity = "1")
        Resource resource;

        @Option(names = "--principal", paramLabel = "Type:name")
        String principal;

        @Option(names = "--operation", description = "Only this operation (default: any).")
        String operation;

        @Option(names = "--prefixed", description = "Only PREFIXED ACLs (default: LITERAL).")
        boolean prefixed;

        @Override
        int run() throws Exception {
            AclBindingFilter filter = new AclBindingFilter(
                    new ResourcePatternFilter(
                            resource.type(), resource.name(), prefixed ? PatternType.PREFIXED : PatternType.LITERAL),
                    new AccessControlEntryFilter(
                            principal,
                            null,
                            operation == null ? AclOperation.ANY : operation(operation),
                            AclPermissionType.ANY));
            try (Admin admin = clients().admin()) {
                Collection<AclBinding> removed =
                        admin.deleteAcls(List.of(filter)).all().get();
                print(removed, out());
                out().println(removed.size() + " ACL(s) removed.");
            }
            return HeraldCli.EXIT_OK;
        }
    }
}
