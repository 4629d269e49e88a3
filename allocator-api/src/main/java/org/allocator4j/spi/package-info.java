/**
 * The provider SPI through which a strategy offers itself as the global allocator:
 * {@link org.allocator4j.spi.GlobalAllocatorProvider}.
 */
package org.allocator4j.spi;
