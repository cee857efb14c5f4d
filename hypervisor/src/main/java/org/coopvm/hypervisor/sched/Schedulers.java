package org.coopvm.hypervisor.sched;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.function.Supplier;

/**
 * The scheduling algorithms a host can run, by name: every {@link Scheduler} that
 * {@link ServiceLoader} finds ({@code credit} and {@code credit2} ship in
 * {@code META-INF/services/org.coopvm.hypervisor.sched.Scheduler}; a researcher adds one with a file
 * of the same name in their jar). {@link #create} makes a fresh instance each time.
 *
 * <p>Thread safety: immutable after construction; any thread.
 */
public final class Schedulers
{
    /** The scheduler a host runs unless configured otherwise. */
    public static final String DEFAULT_NAME = CreditScheduler.NAME;

    private final Map<String, Supplier<Scheduler>> byName;

    private Schedulers(final Map<String, Supplier<Scheduler>> byName)
    {
        this.byName = byName;
    }

    /** @return the schedulers on the class path of this class's loader. */
    public static Schedulers load()
    {
        return load(Schedulers.class.getClassLoader());
    }

    /**
     * @param loader where to look.
     * @return the schedulers {@link ServiceLoader} finds there.
     * @throws IllegalArgumentException when two share a name.
     */
    public static Schedulers load(final ClassLoader loader)
    {
        final List<Supplier<Scheduler>> found = new ArrayList<>();
        ServiceLoader.load(Scheduler.class, loader).stream().forEach(provider -> found.add(provider::get));
        return of(found);
    }

    /**
     * @param factories each makes a fresh scheduler.
     * @return a catalog of them.
     * @throws IllegalArgumentException when two share a name.
     */
    public static Schedulers of(final List<Supplier<Scheduler>> factories)
    {
        final Map<String, Supplier<Scheduler>> byName = new LinkedHashMap<>();
        for (final Supplier<Scheduler> factory : factories)
        {
            final String name = Objects.requireNonNull(factory.get().name(), "scheduler name");
            if (byName.put(name, factory) != null)
            {
                throw new IllegalArgumentException("two schedulers are named " + name);
            }
        }
        return new Schedulers(Collections.unmodifiableMap(byName));
    }

    /** @return the schedulers' names, in the order found. */
    public List<String> names()
    {
        return List.copyOf(byName.keySet());
    }

    /**
     * @param name a scheduler name.
     * @return a new instance of it, not yet {@link Scheduler#init initialised}.
     * @throws IllegalArgumentException naming the unknown scheduler and the known ones.
     */
    public Scheduler create(final String name)
    {
        final Supplier<Scheduler> factory = byName.get(name);
        if (factory == null)
        {
            throw new IllegalArgumentException("unknown scheduler '" + name + "'; known: " + String.join(", ", byName.keySet()));
        }
        return factory.get();
    }
}
