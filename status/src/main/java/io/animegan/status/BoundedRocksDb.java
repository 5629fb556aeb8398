package io.animegan.status;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Caps the native memory of every status store in this process. RocksDB's defaults give each
 * store its own memtables (3 x 16 MB) and block cache, so resident memory grows with the number
 * of stores and the write rate until it settles far above what a status needs. One LRU cache
 * shared by all stores holds both the blocks and (through the write buffer manager) the memtables,
 * the bounded-memory setup from the Kafka Streams memory-management documentation.
 */
public final class BoundedRocksDb implements RocksDBConfigSetter {

    static final long TOTAL_BYTES = 64L * 1024 * 1024;
    static final long MEMTABLE_BYTES = 16L * 1024 * 1024;
    private static final long BLOCK_BYTES = 16 * 1024;

    // Shared on purpose: the bound is per process, whatever the number of stores and partitions.
    private static final Cache CACHE = new LRUCache(TOTAL_BYTES, -1, false, 0.1);
    private static final WriteBufferManager WRITE_BUFFERS = new WriteBufferManager(MEMTABLE_BYTES, CACHE);

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(CACHE);
        table.setBlockSize(BLOCK_BYTES);
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setWriteBufferManager(WRITE_BUFFERS);
        options.setMaxWriteBufferNumber(2);
        options.setWriteBufferSize(4L * 1024 * 1024);
        options.setTableFormatConfig(table);
    }

    @Override
    public void close(String storeName, Options options) {
        // The cache and write buffer manager are shared by every store of the process: never closed here.
    }
}
