package org.allocator4j.testkit.blind;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every entry of the {@link BlindZoo} works in the simple case (a broken allocator broken everywhere tests
 * nothing), and the catalogue lists every entry of the package, at least two of each kind.
 */
class BlindZooSanityTest {
    private static final Layout SIMPLE = Layout.of(64, 8);

    @TestFactory
    Stream<DynamicTest> allocate_64BytesAligned8_writesReadsBackAndFrees() {
        return BlindZoo.entries().stream().flatMap(entry -> Stream.of(
                DynamicTest.dynamicTest(entry.type().getSimpleName() + " over system",
                        () -> roundTrip(entry.newAllocator())),
                DynamicTest.dynamicTest(entry.type().getSimpleName() + " no-arg",
                        () -> roundTrip(entry.type().getConstructor().newInstance()))));
    }

    @TestFactory
    Stream<DynamicTest> allocateZeroed_64BytesAligned8_isZeroAndFrees() {
        return BlindZoo.entries().stream().map(entry -> DynamicTest.dynamicTest(entry.type().getSimpleName(), () -> {
            GlobalAllocator allocator = entry.newAllocator();
            try {
                MemorySegment dirty = allocator.allocate(SIMPLE).fill((byte) 0x5A);
                allocator.deallocate(dirty, SIMPLE);
                MemorySegment block = allocator.allocateZeroed(SIMPLE);
                assertEquals(SIMPLE.size(), block.byteSize(), "byteSize");
                for (long i = 0; i < block.byteSize(); i++) {
                    assertEquals(0, block.get(ValueLayout.JAVA_BYTE, i), "byte " + i);
                }
                allocator.deallocate(block, SIMPLE);
            } finally {
                Bytes.close(allocator);
            }
        }));
    }

    @Test
    void catalogue_everyKind_hasAtLeastTwoEntries() {
        Map<BugKind, Integer> counts = new EnumMap<>(BugKind.class);
        BlindZoo.entries().forEach(e -> counts.merge(e.kind(), 1, Integer::sum));
        for (BugKind kind : BugKind.values()) {
            assertTrue(counts.getOrDefault(kind, 0) >= 2, kind + " has " + counts.get(kind) + " entries");
        }
    }

    @Test
    void catalogue_everyConcreteAllocatorOfThePackage_isListedOnce() throws IOException, URISyntaxException,
            ClassNotFoundException {
        Path folder = Path.of(BlindZoo.class.getResource("BlindZoo.class").toURI()).getParent();
        Set<Class<?>> found = new HashSet<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (!name.endsWith(".class") || name.contains("$")) {
                    continue;
                }
                Class<?> type = Class.forName(BlindZoo.class.getPackageName() + "." + name.replace(".class", ""));
                int modifiers = type.getModifiers();
                if (GlobalAllocator.class.isAssignableFrom(type) && Modifier.isPublic(modifiers)
                        && !Modifier.isAbstract(modifiers)) {
                    found.add(type);
                }
            }
        }
        List<Class<? extends GlobalAllocator>> listed = BlindZoo.entries().stream().map(BlindZoo.Entry::type).toList();
        assertEquals(listed.size(), new HashSet<>(listed).size(), "an entry is listed twice: " + listed);
        Set<Class<?>> unlisted = new HashSet<>(found);
        unlisted.removeAll(listed);
        Set<Class<?>> missing = new HashSet<>(listed);
        missing.removeAll(found);
        assertEquals(Set.of(), unlisted, "public allocators of the package the catalogue does not list");
        assertEquals(Set.of(), missing, "listed but not found in the package folder");
    }

    @Test
    void name_everyEntry_prefixedAndDistinct() {
        Set<String> names = new HashSet<>();
        for (BlindZoo.Entry entry : BlindZoo.entries()) {
            GlobalAllocator allocator = entry.newAllocator();
            try {
                assertEquals("blind-" + entry.type().getSimpleName(), allocator.name());
                assertTrue(names.add(allocator.name()), "duplicate name " + allocator.name());
            } finally {
                Bytes.close(allocator);
            }
        }
    }

    @Test
    void reDeriveHazard_onlyNonNativeEntries_flagged() {
        for (BlindZoo.Entry entry : BlindZoo.entries()) {
            assertTrue(!entry.reDeriveHazard() || entry.kind() == BugKind.NOT_NATIVE, entry.toString());
        }
        assertEquals(3, BlindZoo.entries().stream().filter(BlindZoo.Entry::reDeriveHazard).count());
    }

    @Test
    void declared_everyEntry_takesAParent() {
        for (BlindZoo.Entry entry : BlindZoo.entries()) {
            assertTrue(entry.declared().takesParent(), entry + " declares no parent");
        }
    }

    private static void roundTrip(GlobalAllocator allocator) {
        try {
            for (int round = 0; round < 2; round++) { // the second round may reuse the first block
                MemorySegment block = allocator.allocate(SIMPLE);
                assertEquals(SIMPLE.size(), block.byteSize(), "byteSize");
                assertTrue(block.isNative(), "native");
                assertTrue(SIMPLE.isAligned(block.address()), "aligned: 0x" + Long.toHexString(block.address()));
                for (long i = 0; i < block.byteSize(); i++) {
                    block.set(ValueLayout.JAVA_BYTE, i, (byte) (round * 64 + i));
                }
                for (long i = 0; i < block.byteSize(); i++) {
                    assertEquals((byte) (round * 64 + i), block.get(ValueLayout.JAVA_BYTE, i), "byte " + i);
                }
                allocator.deallocate(block, SIMPLE);
            }
        } finally {
            Bytes.close(allocator);
        }
    }
}
