package org.allocator4j.tracking;

import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/** Registers a {@link TrackingMXBean} per tracking allocator with the platform MBean server. */
final class Jmx {
    private static final System.Logger LOG = System.getLogger(Jmx.class.getName());
    private static final AtomicLong IDS = new AtomicLong();

    private Jmx() {
    }

    /** An MBean's registration, undone by {@link #unregister()}. */
    record Registration(ObjectName name) {
        void unregister() {
            try {
                ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
            } catch (JMException e) {
                LOG.log(Level.DEBUG, "MBean " + name + " was already unregistered", e);
            }
        }
    }

    /** {@return the registration, or null if the MBean server refused it (logged)} */
    static Registration register(TrackingGlobalAllocator allocator) {
        try {
            ObjectName name = new ObjectName("org.allocator4j:type=TrackingAllocator,name="
                    + ObjectName.quote(allocator.name()) + ",id=" + IDS.incrementAndGet());
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            server.registerMBean(new Bean(allocator), name);
            return new Registration(name);
        } catch (JMException | RuntimeException e) {
            LOG.log(Level.WARNING, "cannot register the MBean of tracking allocator '" + allocator.name() + "'", e);
            return null;
        }
    }

    /** The MBean: holds its allocator weakly, so registration does not keep it alive. */
    static final class Bean implements TrackingMXBean {
        private final WeakReference<TrackingGlobalAllocator> allocator;
        private final String name;
        private final String inner;

        Bean(TrackingGlobalAllocator allocator) {
            this.allocator = new WeakReference<>(allocator);
            this.name = allocator.name();
            this.inner = allocator.inner().name();
        }

        private long stat(Function<Snapshot, Long> field) {
            TrackingGlobalAllocator a = allocator.get();
            return a == null ? 0 : field.apply(a.snapshot());
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public String getInner() {
            return inner;
        }

        @Override
        public long getAllocations() {
            return stat(Snapshot::allocations);
        }

        @Override
        public long getDeallocations() {
            return stat(Snapshot::deallocations);
        }

        @Override
        public long getReallocations() {
            return stat(Snapshot::reallocations);
        }

        @Override
        public long getFailures() {
            return stat(Snapshot::failures);
        }

        @Override
        public long getBytesAllocated() {
            return stat(Snapshot::bytesAllocated);
        }

        @Override
        public long getBytesFreed() {
            return stat(Snapshot::bytesFreed);
        }

        @Override
        public long getLiveBytes() {
            return stat(Snapshot::liveBytes);
        }

        @Override
        public long getLiveBlocks() {
            return stat(Snapshot::liveBlocks);
        }

        @Override
        public long getPeakLiveBytes() {
            return stat(Snapshot::peakLiveBytes);
        }

        @Override
        public long[] getHistogram() {
            TrackingGlobalAllocator a = allocator.get();
            return a == null ? new long[Snapshot.BUCKETS] : a.snapshot().histogram();
        }

        @Override
        public boolean isChecked() {
            TrackingGlobalAllocator a = allocator.get();
            return a != null && a.checked();
        }

        @Override
        public int getSampleEvery() {
            TrackingGlobalAllocator a = allocator.get();
            return a == null ? 0 : a.sampleEvery();
        }

        @Override
        public long getBudgetLimit() {
            TrackingGlobalAllocator a = allocator.get();
            return a == null ? Long.MAX_VALUE : a.budgetLimit();
        }

        @Override
        public long getBudgetUsed() {
            TrackingGlobalAllocator a = allocator.get();
            return a == null ? 0 : a.budgetUsed();
        }

        @Override
        public String getLeakReport() {
            TrackingGlobalAllocator a = allocator.get();
            return a == null ? "(collected)" : a.leaks().format();
        }
    }
}
