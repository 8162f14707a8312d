package io.segmentlake.clusters;

import static io.segmentlake.clusters.ClusterColumns.CLUSTER_ID;
import static io.segmentlake.clusters.ClusterColumns.CLUSTER_NAME;
import static io.segmentlake.clusters.ClusterColumns.CUSTOMER_ID;
import static io.segmentlake.clusters.ClusterColumns.DISTANCE;
import static io.segmentlake.clusters.ClusterColumns.INDEX;
import static io.segmentlake.clusters.ClusterColumns.SCALED;
import static io.segmentlake.clusters.ClusterColumns.VECTOR;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;

import io.segmentlake.JobFailure;
import io.segmentlake.config.ClusterSettings;
import io.segmentlake.config.ClusterSettings.Feature;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.StandardScalerModel;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * K-means over the whole customer base: features, log-transformed and standardised; k fixed or the
 * best silhouette on a bounded sample; the chosen k fitted on every customer; ids matched to the
 * previous run's clusters; every cluster named from its centroid.
 */
public final class ClustersStage {
  private ClustersStage() {}

  /** What the stage reads: the used invoice lines and, when present, the optional inputs. */
  public record Inputs(
      Dataset<Row> usedInvoices,
      Optional<Dataset<Row>> products,
      Optional<Dataset<Row>> points,
      Optional<Dataset<Row>> previousProfiles) {}

  /** What the stage produced; release() frees what it cached. */
  public record Result(
      Dataset<Row> assignments,
      Dataset<Row> profiles,
      long customers,
      Map<String, Object> summary,
      String description,
      Runnable release) {}

  /** Clusters every customer with a purchase up to the as-of date. */
  public static Result run(Inputs in, LocalDate asOf, ClusterSettings s) {
    Map<String, String> skipped = new LinkedHashMap<>();
    List<Feature> features = available(in, s, skipped);
    List<Feature> described = Features.described(features);
    Dataset<Row> assembled = assemble(in, asOf, features, described);
    long customers = assembled.count();
    requireEnough(customers, asOf, s, assembled);
    StandardScalerModel scaler =
        new StandardScaler()
            .setInputCol(VECTOR)
            .setOutputCol(SCALED)
            .setWithMean(true)
            .setWithStd(true)
            .fit(assembled);
    Dataset<Row> scaled = scaler.transform(assembled).drop(VECTOR);
    // Checkpointed: used three times (collected for the search, counted, the final silhouette).
    Dataset<Row> sample = KSearch.sample(scaled, customers, s).localCheckpoint();
    long searchStart = System.nanoTime();
    List<KSearch.Candidate> candidates = KSearch.candidates(sample, s);
    KSearch.Candidate chosen = KSearch.best(candidates);
    int k = chosen.k();
    double searchSeconds = (System.nanoTime() - searchStart) / 1e9;
    long fitStart = System.nanoTime();
    FullFit.Fit fit = FullFit.refine(scaled, chosen.centroids(), s);
    double fitSeconds = (System.nanoTime() - fitStart) / 1e9;
    double silhouette = KSearch.silhouette(FullFit.assign(sample, fit.centroids()));
    Dataset<Row> assigned = FullFit.assign(scaled, fit.centroids());
    Profiles.Stats stats = Profiles.stats(assigned, described, k);
    Profiles.Model m =
        new Profiles.Model(
            features,
            fit.centroids(),
            stats.sizes(),
            scaler.mean().toArray(),
            scaler.std().toArray());
    Profiles.Identified clusters = Profiles.identify(m, stats, in.previousProfiles(), s);
    Dataset<Row> assignments = assignments(assigned, described, clusters);
    Profiles.Quality quality =
        new Profiles.Quality(
            k,
            s.fixedK().isPresent() ? "fixed" : "auto",
            silhouette,
            s.fixedK().isPresent() ? List.of() : candidates,
            stats.withinSumOfSquares(),
            fit.iterations(),
            s.seed());
    Dataset<Row> profiles = Profiles.table(assigned.sparkSession(), m, stats, clusters, quality);

    Map<String, Object> summary =
        summary(customers, features, skipped, quality, sample.count(), searchSeconds, fitSeconds);
    summary.put("ids_kept", clusters.ids().kept());
    summary.put("ids_new", k - clusters.ids().kept());
    summary.put("clusters", clusters.describe());
    return new Result(
        assignments,
        profiles,
        customers,
        summary,
        String.format(
            Locale.ROOT,
            "k = %d (%s), silhouette %.3f on the sample; %d ids kept from the previous run",
            k,
            quality.selection(),
            silhouette,
            clusters.ids().kept()),
        assembled::unpersist);
  }

  /**
   * Every customer's features in original units and as one vector of the transformed ones, sorted
   * within partitions by customer and cached (the caller unpersists it).
   */
  private static Dataset<Row> assemble(
      Inputs in, LocalDate asOf, List<Feature> features, List<Feature> described) {
    Dataset<Row> raw =
        Features.transform(
            Features.compute(
                in.usedInvoices(),
                in.products().filter(p -> features.contains(Feature.MARGIN)),
                in.points().filter(p -> features.contains(Feature.POINTS)),
                asOf,
                described),
            features);
    String[] transformed = features.stream().map(Features::transformed).toArray(String[]::new);
    return new VectorAssembler()
        .setInputCols(transformed)
        .setOutputCol(VECTOR)
        .transform(raw)
        .drop(transformed)
        // The same customers in the same order whatever the order of the input.
        .sortWithinPartitions(col(CUSTOMER_ID))
        .persist(StorageLevel.MEMORY_AND_DISK());
  }

  /** Fails (and frees the cache) when there are too few customers for the largest k. */
  private static void requireEnough(
      long customers, LocalDate asOf, ClusterSettings s, Dataset<Row> assembled) {
    int needed = s.fixedK().orElse(s.kMax()) + 1;
    if (customers < needed) {
      assembled.unpersist();
      throw JobFailure.inputRejected(
          String.format(
              Locale.ROOT,
              "clusters: %d customers with a purchase up to %s; k-means with k up to %d needs at"
                  + " least %d",
              customers,
              asOf,
              needed - 1,
              needed));
    }
  }

  /** The manifest's figures of the run, without the ids. */
  private static Map<String, Object> summary(
      long customers,
      List<Feature> features,
      Map<String, String> skipped,
      Profiles.Quality quality,
      long sampled,
      double searchSeconds,
      double fitSeconds) {
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("customers", customers);
    summary.put("features", features.stream().map(Features::column).toList());
    summary.put("features_skipped", skipped);
    summary.put("k", quality.k());
    summary.put("k_selection", quality.selection());
    Map<String, Double> byK = new LinkedHashMap<>();
    quality.candidates().forEach(c -> byK.put(String.valueOf(c.k()), c.silhouette()));
    summary.put("silhouette_by_k", byK);
    summary.put("silhouette", quality.silhouette());
    summary.put("silhouette_sample_customers", sampled);
    summary.put("iterations", quality.iterations());
    summary.put("k_search_seconds", searchSeconds);
    summary.put("fit_seconds", fitSeconds);
    return summary;
  }

  /** The configured features whose inputs are there; the others, with the reason, in skipped. */
  private static List<Feature> available(
      Inputs in, ClusterSettings s, Map<String, String> skipped) {
    boolean channel = Arrays.asList(in.usedInvoices().columns()).contains(ClusterColumns.CHANNEL);
    List<Feature> out = new ArrayList<>();
    for (Feature f : s.features()) {
      String reason =
          switch (f) {
            case MARGIN -> in.products().isPresent() ? null : "no products table";
            case POINTS -> in.points().isPresent() ? null : "no loyalty_points for the date";
            case WEB_SHARE -> channel ? null : "invoices have no channel column";
            default -> null;
          };
      if (reason == null) {
        out.add(f);
      } else {
        skipped.put(Features.column(f), reason);
      }
    }
    if (out.isEmpty()) {
      throw JobFailure.inputRejected(
          "clusters: none of the configured features can be computed: " + skipped);
    }
    return out;
  }

  /**
   * customer_clusters: id, name and distance to the centroid, and the features and descriptive
   * measures in original units.
   */
  private static Dataset<Row> assignments(
      Dataset<Row> assigned, List<Feature> features, Profiles.Identified c) {
    Column index = col(INDEX).plus(1);
    List<Column> out = new ArrayList<>();
    out.add(col(CUSTOMER_ID));
    out.add(
        element_at(
                array(Arrays.stream(c.ids().ids()).mapToObj(v -> lit(v)).toArray(Column[]::new)),
                index)
            .as(CLUSTER_ID));
    out.add(
        element_at(array(c.names().stream().map(n -> lit(n.name())).toArray(Column[]::new)), index)
            .as(CLUSTER_NAME));
    out.add(col(DISTANCE));
    features.forEach(f -> out.add(col(Features.column(f))));
    return assigned.select(out.toArray(Column[]::new));
  }
}
