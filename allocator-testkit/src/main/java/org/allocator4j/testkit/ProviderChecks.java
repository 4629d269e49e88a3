package org.allocator4j.testkit;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.ServiceLoader;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;
import org.allocator4j.spi.GlobalAllocatorProvider;

/** The class-path checks of {@link ProviderContract}. */
final class ProviderChecks {
    private ProviderChecks() {
    }

    static void onClassPath(GlobalAllocatorProvider provider) {
        Journal journal = new Journal(provider.name());
        List<ServiceLoader.Provider<GlobalAllocatorProvider>> found = ServiceLoader
                .load(GlobalAllocatorProvider.class, provider.getClass().getClassLoader()).stream().toList();
        long ofType = found.stream().filter(p -> p.type() == provider.getClass()).count();
        if (ofType != 1) {
            throw journal.violation(Rule.PROVIDER, "ServiceLoader found " + ofType + " providers of type "
                    + provider.getClass().getName() + " on the class path; expected exactly 1 (is it listed in "
                    + "META-INF/services/" + GlobalAllocatorProvider.class.getName() + "?)");
        }
        List<String> sameName = found.stream().map(ServiceLoader.Provider::get)
                .filter(p -> provider.name().equals(p.name())).map(p -> p.getClass().getName()).toList();
        if (sameName.size() != 1) {
            throw journal.violation(Rule.PROVIDER, "name '" + provider.name() + "' is not unique: providers "
                    + sameName + " all use it");
        }
    }

    static void works(String name, GlobalAllocator allocator) {
        Journal journal = new Journal(name);
        if (allocator == null || !name.equals(allocator.name())) {
            throw journal.violation(Rule.PROVIDER, "create() returned " + allocator + " named "
                    + (allocator == null ? null : "'" + allocator.name() + "'") + "; expected name '" + name + "'");
        }
        Layout layout = Layout.of(64, 16);
        MemorySegment block = allocator.allocate(layout);
        block.set(ValueLayout.JAVA_LONG, 56, 0x1122_3344_5566_7788L);
        if (block.byteSize() != 64 || !layout.isAligned(block.address())
                || block.get(ValueLayout.JAVA_LONG, 56) != 0x1122_3344_5566_7788L) {
            throw journal.violation(Rule.PROVIDER, "the created allocator returned " + block + " for " + layout);
        }
        allocator.deallocate(block, layout);
    }
}
