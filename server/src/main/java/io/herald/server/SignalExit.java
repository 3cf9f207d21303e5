package io.herald.server;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes SIGTERM and SIGINT end the JVM with a chosen exit code, after the shutdown hooks ran.
 *
 * <p>Design note: the JVM's own handler for these signals runs the shutdown hooks too, but then exits with 128 + the
 * signal's number (143 for SIGTERM, 130 for SIGINT), so a service manager or a script cannot tell a clean stop from a
 * crash. The handler installed here calls {@code System.exit(code)} instead, which runs the same hooks. It uses
 * {@code sun.misc.Signal} (module {@code jdk.unsupported}, present in every OpenJDK build, as Kafka's broker does)
 * through reflection so that nothing breaks where it is missing: then the JVM's default behaviour stays. A signal that
 * the process inherited as ignored (a background job of a non-interactive shell ignores SIGINT) stays ignored: the
 * JVM refuses to install a handler for it.
 *
 * <p>Thread-safety: {@link #install} is called once, by the main thread.
 */
final class SignalExit {

    private static final Logger log = LoggerFactory.getLogger(SignalExit.class);

    private SignalExit() {}

    /** Installs a handler that calls {@code System.exit(code)} for each of {@code signals} (e.g. "TERM"). */
    static void install(int code, String... signals) {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
            Object handler = Proxy.newProxyInstance(
                    SignalExit.class.getClassLoader(), new Class<?>[] {handlerClass}, (proxy, method, args) -> {
                        if (method.getName().equals("handle")) {
                            log.info("Received SIG{}", signalName(args[0]));
                            // The JVM dispatches each signal on a new thread of its own, so blocking here is fine.
                            System.exit(code);
                            return null;
                        }
                        return switch (method.getName()) {
                            case "toString" -> "SignalExit(" + code + ")";
                            case "hashCode" -> System.identityHashCode(proxy);
                            case "equals" -> proxy == args[0];
                            default -> throw new UnsupportedOperationException(method.getName());
                        };
                    });
            for (String name : signals) {
                Object signal = signalClass.getConstructor(String.class).newInstance(name);
                try {
                    handle.invoke(null, signal, handler);
                } catch (InvocationTargetException e) {
                    log.debug("Cannot handle SIG{}: {}", name, e.getCause().toString());
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.debug("sun.misc.Signal unavailable; SIGTERM and SIGINT keep the JVM's exit codes", e);
        }
    }

    private static String signalName(Object signal) {
        try {
            return String.valueOf(signal.getClass().getMethod("getName").invoke(signal));
        } catch (ReflectiveOperationException e) {
            return String.valueOf(signal);
        }
    }
}
