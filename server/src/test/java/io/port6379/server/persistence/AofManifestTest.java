// The manifest of the multi-part AOF: the text Redis 7.0 writes, read back, and Redis's errors for bad manifests.
package io.port6379.server.persistence;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AofManifestTest {

    private static final AofManifest.Entry BASE = new AofManifest.Entry("appendonly.aof.1.base.rdb", 1, AofManifest.Type.BASE);
    private static final AofManifest.Entry INCR = new AofManifest.Entry("appendonly.aof.1.incr.aof", 1, AofManifest.Type.INCR);

    @Test
    void formatWritesTheLinesRedis7Writes() {
        // as written by redis-server 7.0.15 started with --appendonly yes in an empty directory
        assertEquals("file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n",
                new AofManifest(List.of(BASE, INCR)).format());
    }

    @Test
    void formatPutsTheBaseFirstThenHistoryThenIncrementalFiles() {
        AofManifest.Entry history = new AofManifest.Entry("appendonly.aof.1.incr.aof", 1, AofManifest.Type.HISTORY);
        AofManifest.Entry base2 = new AofManifest.Entry("appendonly.aof.2.base.aof", 2, AofManifest.Type.BASE);
        AofManifest.Entry incr2 = new AofManifest.Entry("appendonly.aof.2.incr.aof", 2, AofManifest.Type.INCR);
        assertEquals("""
                file appendonly.aof.2.base.aof seq 2 type b
                file appendonly.aof.1.incr.aof seq 1 type h
                file appendonly.aof.2.incr.aof seq 2 type i
                """, new AofManifest(List.of(incr2, history, base2)).format());
    }

    @Test
    void parseReadsWhatFormatWrote() throws IOException {
        AofManifest manifest = new AofManifest(List.of(BASE, INCR,
                new AofManifest.Entry("appendonly.aof.2.incr.aof", 2, AofManifest.Type.INCR)));
        assertEquals(manifest, AofManifest.parse(manifest.format()));
    }

    @Test
    void loadOrderIsTheBaseThenTheIncrementalFilesWithoutHistory() throws IOException {
        AofManifest manifest = AofManifest.parse("""
                file appendonly.aof.3.incr.aof seq 3 type i
                file appendonly.aof.2.incr.aof seq 2 type h
                file appendonly.aof.2.base.rdb seq 2 type b
                file appendonly.aof.4.incr.aof seq 4 type i
                """);
        assertEquals(List.of("appendonly.aof.2.base.rdb", "appendonly.aof.3.incr.aof", "appendonly.aof.4.incr.aof"),
                manifest.loadOrder().stream().map(AofManifest.Entry::file).toList());
        assertEquals(4, manifest.lastIncrSeq());
        assertEquals(2, manifest.baseSeq());
    }

    @Test
    void parseSkipsCommentsAndAcceptsKeysInAnyOrder() throws IOException {
        AofManifest manifest = AofManifest.parse("# written by hand\ntype b seq 1 file appendonly.aof.1.base.rdb\n");
        assertEquals(List.of(BASE), manifest.entries());
    }

    @Test
    void namesWithSpacesAreQuotedAndReadBack() throws IOException {
        AofManifest manifest = new AofManifest(List.of(new AofManifest.Entry("my file.1.base.aof", 1, AofManifest.Type.BASE)));
        assertEquals("file \"my file.1.base.aof\" seq 1 type b\n", manifest.format());
        assertEquals(manifest, AofManifest.parse(manifest.format()));
    }

    @Test
    void aLineWithoutItsThreePairsIsInvalid() {
        IOException e = assertThrows(IOException.class, () -> AofManifest.parse("file appendonly.aof.1.base.rdb seq 1\n"));
        assertEquals("Invalid AOF manifest file format", e.getMessage());
    }

    @Test
    void twoBasesAreRefusedWithRedisMessage() {
        IOException e = assertThrows(IOException.class, () -> AofManifest.parse(
                "file a.1.base.rdb seq 1 type b\nfile a.2.base.rdb seq 2 type b\n"));
        assertEquals("Found duplicate base file information", e.getMessage());
    }

    @Test
    void anEmptyManifestIsRefusedWithRedisMessage() {
        IOException e = assertThrows(IOException.class, () -> AofManifest.parse("\n"));
        assertEquals("Found an empty AOF manifest", e.getMessage());
    }
}
