package io.herald.security.acl;

import io.herald.security.store.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The ACL file under the broker's data directory: one binding per line, {@code RESOURCE_TYPE PATTERN_TYPE
 * base64url(name) base64url(principal) base64url(host) OPERATION PERMISSION}, replaced atomically on every change. A
 * line that does not parse fails the load with its number: dropping a DENY silently would open what it closed.
 *
 * <p>Thread-safety: not thread-safe; {@link AclAuthorizer} serialises access.
 */
final class AclStore {

    private static final Base64.Encoder ENC = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DEC = Base64.getUrlDecoder();

    private final AtomicFile file;

    AclStore(Path path) {
        this.file = new AtomicFile(path);
    }

    List<AclBinding> load() throws IOException {
        return file.readEntries(7, AclStore::parse);
    }

    void save(Collection<AclBinding> acls) throws IOException {
        file.writeLines(encode(acls));
    }

    /** The bindings of {@code lines} (from {@code source}, named in the error), in the file's format. */
    static List<AclBinding> decode(String source, List<String> lines) throws IOException {
        return AtomicFile.parseEntries(source, lines, 7, AclStore::parse);
    }

    static List<String> encode(Collection<AclBinding> acls) {
        List<String> lines = new ArrayList<>();
        for (AclBinding b : acls) {
            lines.add(String.join(
                    " ",
                    b.pattern().resourceType().name(),
                    b.pattern().patternType().name(),
                    code(b.pattern().name()),
                    code(b.entry().principal()),
                    code(b.entry().host()),
                    b.entry().operation().name(),
                    b.entry().permissionType().name()));
        }
        return lines;
    }

    private static AclBinding parse(String[] f) {
        return new AclBinding(
                new ResourcePattern(ResourceType.valueOf(f[0]), text(f[2]), PatternType.valueOf(f[1])),
                new AccessControlEntry(
                        text(f[3]), text(f[4]), AclOperation.valueOf(f[5]), AclPermissionType.valueOf(f[6])));
    }

    private static String code(String s) {
        return ENC.encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(String s) {
        return new String(DEC.decode(s), StandardCharsets.UTF_8);
    }
}
