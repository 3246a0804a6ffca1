package org.quotaledger.infra;

import java.util.concurrent.ConcurrentHashMap;

import org.axonframework.common.Registration;
import org.axonframework.common.caching.Cache;

/**
 * Keeps every loaded country aggregate in memory for good. Axon's WeakReferenceCache lost them at
 * almost every garbage collection under load (measured: nearly one reload from the store per
 * command with 120 countries), and a reload re-reads a snapshot and up to 500 events. Eviction is
 * not needed: the keys are the ISO countries and the policy book, and each aggregate's state is
 * O(1) in the length of its history. The size guard only protects against a misuse of the cache.
 */
class CountryAggregateCache implements Cache {

    /** Far above the 249 countries and the policy book. */
    static final int MAX_ENTRIES = 2_000;

    private final ConcurrentHashMap<Object, Object> entries = new ConcurrentHashMap<>();

    @Override
    @SuppressWarnings("unchecked")
    public <K, V> V get(K key) {
        return (V) entries.get(key);
    }

    @Override
    public void put(Object key, Object value) {
        guardSize();
        entries.put(key, value);
    }

    @Override
    public boolean putIfAbsent(Object key, Object value) {
        guardSize();
        return entries.putIfAbsent(key, value) == null;
    }

    @Override
    public boolean remove(Object key) {
        return entries.remove(key) != null;
    }

    @Override
    public void removeAll() {
        entries.clear();
    }

    @Override
    public boolean containsKey(Object key) {
        return entries.containsKey(key);
    }

    @Override
    public Registration registerCacheEntryListener(EntryListener listener) {
        return () -> true; // nothing listens: entries are never evicted or expired
    }

    private void guardSize() {
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
    }
}
