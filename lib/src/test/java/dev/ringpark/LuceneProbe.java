package dev.ringpark;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.IntPoint;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.CheckIndex;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.PhraseQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TermRangeQuery;
import org.apache.lucene.search.WildcardQuery;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.NIOFSDirectory;

/**
 * Child JVM of {@code LuceneUnderProviderTest}: indexes the same few thousand documents through
 * {@code FSDirectory.open} (memory-mapped on a 64-bit JVM) and through {@code NIOFSDirectory}, commits
 * (Lucene fsyncs every file and the directory), in many small segments that it merges, deletes and updates some and commits again, searches
 * with term, boolean, phrase, prefix, wildcard and range queries from many virtual threads, runs
 * {@code CheckIndex}, and prints each query's hit count. The test compares the counts of a JVM with
 * {@link RingFileSystemProvider} as the default against one without; lines that start with {@code !}
 * may differ (the classes in use, Ringpark's counters).
 */
public final class LuceneProbe {
    private static final int DOCUMENTS = 4000;
    private static final int SEARCHERS = 64;
    private static final String[] WORDS = {"ring", "park", "uring", "kernel", "virtual", "thread", "carrier", "poller",
        "submit", "complete", "queue", "buffer", "page", "cache", "cold", "hot", "file", "channel", "stream", "lucene",
        "index", "segment", "merge", "commit", "search", "query", "term", "phrase", "prefix", "wildcard"};

    private LuceneProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path base = Path.of(args[0]);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        for (String kind : List.of("fsdirectory", "niofs")) {
            Path indexPath = Files.createDirectories(base.resolve(kind));
            try (Directory directory = kind.equals("niofs") ? new NIOFSDirectory(indexPath) : FSDirectory.open(indexPath)) {
                System.out.println("!DIRECTORY " + kind + " " + directory.getClass().getSimpleName());
                index(directory);
                try (DirectoryReader reader = DirectoryReader.open(directory)) {
                    IndexSearcher searcher = new IndexSearcher(reader);
                    System.out.println(kind + " docs=" + reader.numDocs() + " maxDoc=" + reader.maxDoc()
                            + " segments=" + reader.leaves().size());
                    for (Map.Entry<String, Long> count : searchConcurrently(searcher).entrySet()) {
                        System.out.println(kind + " " + count.getKey() + " hits=" + count.getValue());
                    }
                }
                try (CheckIndex check = new CheckIndex(directory)) {
                    check.setInfoStream(quiet);
                    CheckIndex.Status status = check.checkIndex();
                    System.out.println(kind + " CheckIndex clean=" + status.clean + " segments=" + status.numSegments);
                }
            }
        }
        System.out.println("!CHANNELS_OPENED=" + ProviderCounters.CHANNELS_OPENED.sum());
    }

    /** The documents, in two commits: all of them, then some deleted and some updated. */
    private static void index(Directory directory) throws Exception {
        SplittableRandom random = new SplittableRandom(42);
        IndexWriterConfig config = new IndexWriterConfig(new StandardAnalyzer()).setMaxBufferedDocs(300);
        try (IndexWriter writer = new IndexWriter(directory, config)) {
            for (int id = 0; id < DOCUMENTS; id++) {
                writer.addDocument(document(id, random));
            }
            writer.commit();
            for (int id = 0; id < DOCUMENTS; id += 7) {
                writer.deleteDocuments(new Term("id", Integer.toString(id)));
            }
            for (int id = 3; id < DOCUMENTS; id += 11) {
                writer.updateDocument(new Term("id", Integer.toString(id)), document(id, random));
            }
            writer.commit();
        }
    }

    private static Document document(int id, SplittableRandom random) {
        Document document = new Document();
        document.add(new StringField("id", Integer.toString(id), Field.Store.YES));
        StringBuilder body = new StringBuilder();
        int length = random.nextInt(20, 200);
        for (int i = 0; i < length; i++) {
            body.append(WORDS[random.nextInt(WORDS.length)]).append(i % 9 == 8 ? ". " : " ");
        }
        document.add(new TextField("body", body.toString(), Field.Store.NO));
        document.add(new StringField("tag", WORDS[id % WORDS.length], Field.Store.YES));
        document.add(new IntPoint("number", id));
        return document;
    }

    private static Map<String, Query> queries() throws Exception {
        Map<String, Query> queries = new LinkedHashMap<>();
        queries.put("term", new TermQuery(new Term("body", "kernel")));
        queries.put("boolean", new BooleanQuery.Builder()
                .add(new TermQuery(new Term("body", "ring")), BooleanClause.Occur.MUST)
                .add(new TermQuery(new Term("body", "park")), BooleanClause.Occur.SHOULD)
                .add(new TermQuery(new Term("body", "cold")), BooleanClause.Occur.MUST_NOT).build());
        queries.put("phrase", new PhraseQuery("body", "virtual", "thread"));
        queries.put("sloppy phrase", new PhraseQuery(2, "body", "page", "cache"));
        queries.put("prefix", new PrefixQuery(new Term("body", "pol")));
        queries.put("wildcard", new WildcardQuery(new Term("body", "c*t")));
        queries.put("point range", IntPoint.newRangeQuery("number", 1000, 2999));
        queries.put("term range", TermRangeQuery.newStringRange("tag", "c", "p", true, false));
        queries.put("parsed", new QueryParser("body", new StandardAnalyzer()).parse("+lucene +(index OR segment) -merge"));
        return queries;
    }

    /** Every query from {@value #SEARCHERS} virtual threads; all must agree on every count. */
    private static Map<String, Long> searchConcurrently(IndexSearcher searcher) throws Exception {
        Map<String, Query> queries = queries();
        List<Future<List<Long>>> results = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int searcherNumber = 0; searcherNumber < SEARCHERS; searcherNumber++) {
                results.add(threads.submit(() -> {
                    List<Long> counts = new ArrayList<>();
                    for (Query query : queries.values()) {
                        counts.add((long) searcher.count(query));
                    }
                    return counts;
                }));
            }
        }
        List<Long> first = results.getFirst().get();
        for (Future<List<Long>> result : results) {
            if (!result.get().equals(first)) {
                throw new AssertionError("searchers disagree: " + first + " against " + result.get());
            }
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        int i = 0;
        for (String name : queries.keySet()) {
            counts.put(name, first.get(i++));
        }
        return counts;
    }
}
