/**
 * allocator4j's allocation traces: the compact binary format ({@link org.allocator4j.trace.TraceFormat},
 * written by {@link org.allocator4j.trace.TraceWriter}, read by {@link org.allocator4j.trace.TraceReader}) and
 * glibc's mtrace text ({@link org.allocator4j.trace.MtraceReader}), both read as streams of
 * {@link org.allocator4j.trace.TraceEvents}; {@link org.allocator4j.trace.Traces#open(java.nio.file.Path)}
 * opens a file of either. A malformed trace throws {@link org.allocator4j.trace.TraceFormatException}.
 */
package org.allocator4j.trace;
