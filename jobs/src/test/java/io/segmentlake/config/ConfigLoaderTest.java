package io.segmentlake.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.segmentlake.JobFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  private static Settings load(String... sets) {
    return Settings.from(ConfigLoader.load(Optional.empty(), List.of(sets)));
  }

  /** Loading the settings fails with a usage error (exit 2); the assertion goes on its message. */
  private static AbstractThrowableAssert<?, ? extends Throwable> usageError(String... sets) {
    return assertThatThrownBy(() -> load(sets))
        .isInstanceOf(JobFailure.class)
        .satisfies(e -> assertThat(((JobFailure) e).exitCode()).isEqualTo(2));
  }

  @Test
  void defaultsComeFromReferenceConf() {
    Settings s = load();
    assertThat(s.rfm().bins()).isEqualTo(5);
    assertThat(s.rfm().method()).isEqualTo(RfmSettings.Method.QUANTILE);
    assertThat(s.rfm().segments()).hasSize(11);
    assertThat(s.inputs().get("invoices").path()).isEqualTo("data-sample/lake/invoices");
    assertThat(s.timeZone().getId()).isEqualTo("UTC");
  }

  @Test
  void setLayersSingleKeysAndParsesLists() {
    Settings s =
        load(
            "segmentlake.rfm.method=thresholds",
            "rfm.bins=3",
            "rfm.thresholds.recency=[30, 90]",
            "rfm.thresholds.frequency=[2, 5]",
            "rfm.thresholds.monetary=[100, 1000]",
            "rfm.segments=[{name = Best, r = [3, 3]}]",
            "input.invoices.columns.customer_id=CustomerID");
    assertThat(s.rfm().thresholds().recency()).contains(List.of(30.0, 90.0));
    assertThat(s.inputs().get("invoices").columns()).containsEntry("customer_id", "CustomerID");
  }

  @Test
  void unknownKeyIsRejectedWithItsNameAndASuggestion() {
    usageError("segmentlake.rfm.bin=4")
        .hasMessageContaining("unknown configuration key 'segmentlake.rfm.bin'")
        .hasMessageContaining("did you mean 'segmentlake.rfm.bins'");
  }

  @Test
  void s3CredentialsInConfigurationAreRefusedWithoutEchoingThem() {
    for (String key :
        List.of(
            "spark.conf.\"spark.hadoop.fs.s3a.secret.key\"",
            "spark.conf.\"spark.hadoop.fs.s3a.access.key\"",
            "spark.conf.\"spark.hadoop.fs.s3a.bucket.lake.session.token\"")) {
      usageError(key + "=\"AKIAEXAMPLEVALUE\"")
          .hasMessageContaining("carries a credential")
          .hasMessageContaining("AWS_ACCESS_KEY_ID")
          .hasMessageNotContaining("AKIAEXAMPLEVALUE");
    }
  }

  @Test
  void theSessionTimeZoneIsRefusedInSparkConfInFavourOfTheTimeZoneKey() {
    usageError("spark.conf.\"spark.sql.session.timeZone\"=\"Europe/Paris\"")
        .hasMessageContaining("segmentlake.spark.conf.\"spark.sql.session.timeZone\"")
        .hasMessageContaining("set segmentlake.time-zone instead");
    assertThat(load("time-zone=Europe/Paris").timeZone().getId()).isEqualTo("Europe/Paris");
  }

  @Test
  void s3SettingsBecomeS3aSettingsWithTheDefaultCredentialChain() {
    Settings s =
        load(
            "s3.endpoint=\"http://127.0.0.1:9000\"",
            "s3.path-style-access=true",
            "s3.region=us-east-1",
            "s3.committer=directory");
    assertThat(s.s3().hadoopConf())
        .containsEntry("fs.s3a.endpoint", "http://127.0.0.1:9000")
        .containsEntry("fs.s3a.connection.ssl.enabled", "false")
        .containsEntry("fs.s3a.path.style.access", "true")
        .containsEntry("fs.s3a.endpoint.region", "us-east-1")
        .containsEntry("fs.s3a.committer.name", "directory")
        .containsEntry("fs.s3a.aws.credentials.provider", S3Settings.CREDENTIALS_PROVIDER);
    assertThatThrownBy(() -> load("s3.committer=rename"))
        .hasMessageContaining("segmentlake.s3.committer");
  }

  @Test
  void missingConfigFileIsAnError(@TempDir Path dir) {
    Path missing = dir.resolve("nope.conf");
    assertThatThrownBy(() -> ConfigLoader.load(Optional.of(missing), List.of()))
        .hasMessageContaining("configuration file not found")
        .hasMessageContaining("nope.conf");
  }

  @Test
  void fileIsLayeredUnderSetAndSeesTheEnvironment(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("my.conf");
    Files.writeString(
        file,
        "segmentlake.rfm.bins = 4\nsegmentlake.rfm.segments = []\nsegmentlake.output.root = ${?HOME}\"/out\"\n");
    Settings s =
        Settings.from(ConfigLoader.load(Optional.of(file), List.of("rfm.lookback-days=30")));
    assertThat(s.rfm().bins()).isEqualTo(4);
    assertThat(s.rfm().lookbackDays()).isEqualTo(30);
    assertThat(s.outputRoot()).isEqualTo(System.getenv("HOME") + "/out");
  }

  @Test
  void badValuesNameTheKeyTheValueAndTheRange() {
    assertThatThrownBy(() -> load("rfm.bins=1"))
        .hasMessage(
            "configuration key 'segmentlake.rfm.bins' = 1: expected an integer from 2 to 9");
    assertThatThrownBy(() -> load("rfm.method=deciles"))
        .hasMessageContaining(
            "'segmentlake.rfm.method' = deciles: expected one of [quantile, thresholds]");
    assertThatThrownBy(() -> load("time-zone=Mars/Olympus"))
        .hasMessageContaining("segmentlake.time-zone");
  }

  @Test
  void thresholdsMethodNeedsCutPointsForEveryMeasure() {
    assertThatThrownBy(() -> load("rfm.method=thresholds", "rfm.thresholds.recency=[1,2,3,4]"))
        .hasMessageContaining("needs segmentlake.rfm.thresholds.recency, .frequency and .monetary");
    assertThatThrownBy(() -> load("rfm.thresholds.recency=[5, 1, 2, 3]"))
        .hasMessageContaining("4 strictly ascending cut points");
  }

  @Test
  void segmentRulesAreChecked() {
    assertThatThrownBy(() -> load("rfm.segments=[{name = X, r = [0, 9]}]"))
        .hasMessageContaining("segmentlake.rfm.segments[0].r");
    assertThatThrownBy(() -> load("rfm.segments=[{name = X, cells = [\"5x5\"]}]"))
        .hasMessageContaining("three digits from 1 to 5");
    assertThatThrownBy(() -> load("rfm.bins=4"))
        .hasMessageContaining("set segmentlake.rfm.segments for 4 bins");
  }

  @Test
  void loyaltyDefaultsAndOverrides() {
    LoyaltySettings l = load().loyalty();
    assertThat(l.windowDays()).isEqualTo(365);
    assertThat(l.spendSteps())
        .containsExactly(new LoyaltySettings.Band(0, 1.0), new LoyaltySettings.Band(1000, 1.5));
    assertThat(l.tiers().levels())
        .extracting(TierSettings.Level::name)
        .containsExactly("Bronze", "Silver", "Gold");
    assertThat(l.interactions())
        .extracting(InteractionRule::event)
        .contains("referral", "club_login", "web_purchase");
    LoyaltySettings o =
        load(
                "loyalty.weights.category.books=1.2",
                "loyalty.weights.quality-level.\"2\"=0.9",
                "loyalty.customer-type.legal-kind.ngo=1.3")
            .loyalty();
    assertThat(o.categoryWeights()).containsEntry("books", 1.2);
    assertThat(o.qualityWeights()).containsEntry(2, 0.9);
    assertThat(o.customerTypes().legalKinds()).containsEntry("ngo", 1.3);
  }

  @Test
  void badLoyaltyRulesNameTheKeyTheValueAndWhatIsExpected() {
    assertThatThrownBy(() -> load("loyalty.purchase.steps=[{from = 100, points = 1}]"))
        .hasMessageContaining("segmentlake.loyalty.purchase.steps")
        .hasMessageContaining("first 'from' is 0");
    assertThatThrownBy(
            () ->
                load(
                    "loyalty.quantity-bands=[{from = 50, multiplier = 1.2}, {from = 10, multiplier = 1.1}]"))
        .hasMessageContaining("strictly ascending 'from'");
    assertThatThrownBy(
            () ->
                load(
                    "loyalty.interactions=[{event = comment, points = 2, cap = 5,"
                        + " cap-period = fortnight, once-per-day = false}]"))
        .hasMessageContaining("segmentlake.loyalty.interactions[0].cap-period")
        .hasMessageContaining("fortnight")
        .hasMessageContaining("[day, week, month, year, window]");
    assertThatThrownBy(
            () ->
                load(
                    "loyalty.tiers.levels=[{name = Gold, min-points = 500}, {name = Silver, minpoints = 200}]"))
        .hasMessageContaining(
            "unknown field(s) [minpoints] in 'segmentlake.loyalty.tiers.levels[1]'");
    assertThatThrownBy(
            () ->
                load(
                    "loyalty.tiers.levels=[{name = Gold, min-points = 500}, {name = Silver, min-points = 200}]"))
        .hasMessageContaining("segmentlake.loyalty.tiers.levels[1].min-points")
        .hasMessageContaining("more than the tier before");
    assertThatThrownBy(() -> load("loyalty.employer-share=1.5"))
        .hasMessageContaining("segmentlake.loyalty.employer-share")
        .hasMessageContaining("from 0.0 to 1.0");
    assertThatThrownBy(() -> load("loyalty.weights.category.books=heavy"))
        .hasMessageContaining("segmentlake.loyalty.weights.category.books")
        .hasMessageContaining("a weight");
    assertThatThrownBy(() -> load("loyalty.special.rules=[{group = vip, tiers = [gold]}]"))
        .hasMessageContaining("segmentlake.loyalty.special.rules[0].tiers")
        .hasMessageContaining("one of the tiers [Bronze, Gold, None, Silver]");
    assertThatThrownBy(() -> load("loyalty.weights.category.books=NaN"))
        .hasMessageContaining("a weight");
    assertThatThrownBy(() -> load("loyalty.special.rules=[{group = vip, tier = [Gold]}]"))
        .hasMessageContaining("unknown field(s) [tier]");
    assertThatThrownBy(
            () ->
                load(
                    "loyalty.special.rules=[{group = gone, min-recency-days = 365,"
                        + " max-recency-days = 90}]"))
        .hasMessageContaining("segmentlake.loyalty.special.rules[0].min-recency-days")
        .hasMessageContaining("at most max-recency-days (90.0)");
  }

  @Test
  void groupRulesNamingSegmentsThatRfmDoesNotDefineAreReportedNotRefused() {
    assertThat(load().groupRuleSegmentsNotConfigured()).isEmpty();
    // The default rules name Champions, Loyal, At Risk, ...: a shorter segment map leaves some out.
    Settings s =
        load(
            "rfm.segments=[{name = Best, r = [4, 5], f = [4, 5], m = [1, 5]}]",
            "loyalty.special.rules=[{group = vip, rfm-segments = [Best, Champions]},"
                + " {group = rest, rfm-segments = [Others]}, {group = gold, tiers = [Gold]}]");
    assertThat(s.groupRuleSegmentsNotConfigured())
        .containsExactly(java.util.Map.entry("vip", java.util.List.of("Champions")));
  }

  @Test
  void predictDefaultsAndBadValues() {
    PredictSettings p = load().predict();
    assertThat(p.timeUnit()).isEqualTo(PredictSettings.TimeUnit.DAYS);
    assertThat(p.horizonsDays()).containsExactly(30, 90, 365);
    assertThat(p.holdoutDays()).isZero();
    assertThat(load("predict.time-unit=weeks").predict().timeUnit().days()).isEqualTo(7);
    assertThatThrownBy(() -> load("predict.time-unit=months"))
        .hasMessageContaining("segmentlake.predict.time-unit")
        .hasMessageContaining("[days, weeks]");
    assertThatThrownBy(() -> load("predict.horizons-days=[90, 30]"))
        .hasMessageContaining("segmentlake.predict.horizons-days")
        .hasMessageContaining("ascending whole numbers of days");
    assertThatThrownBy(() -> load("predict.churn-risk.medium-from=0.9"))
        .hasMessageContaining("segmentlake.predict.churn-risk.medium-from")
        .hasMessageContaining("at most churn-risk.high-from (0.8)");
    assertThatThrownBy(() -> load("predict.holdout-days=-1"))
        .hasMessageContaining("segmentlake.predict.holdout-days");
  }

  @Test
  void clustersDefaultsAndBadValues() {
    ClusterSettings c = load().clusters();
    assertThat(c.fixedK()).isEmpty();
    assertThat(c.kMin()).isEqualTo(3);
    assertThat(c.kMax()).isEqualTo(8);
    assertThat(c.features())
        .containsExactly(
            ClusterSettings.Feature.RECENCY,
            ClusterSettings.Feature.PURCHASE_RATE,
            ClusterSettings.Feature.SPEND_RATE,
            ClusterSettings.Feature.MEDIAN_INTERVAL,
            ClusterSettings.Feature.TENURE);
    assertThat(load("clusters.k=6").clusters().fixedK()).hasValue(6);
    assertThat(load("clusters.features=[points, web-share]").clusters().features())
        .containsExactly(ClusterSettings.Feature.POINTS, ClusterSettings.Feature.WEB_SHARE);
    assertThatThrownBy(() -> load("clusters.k=seven"))
        .hasMessageContaining("segmentlake.clusters.k")
        .hasMessageContaining("auto or a number of clusters from 2 to 50");
    assertThatThrownBy(() -> load("clusters.k-max=2"))
        .hasMessageContaining("segmentlake.clusters.k-max")
        .hasMessageContaining("at least k-min (3)");
    assertThatThrownBy(() -> load("clusters.features=[recency, loyalty]"))
        .hasMessageContaining("segmentlake.clusters.features")
        .hasMessageContaining("web-share");
    assertThatThrownBy(() -> load("clusters.features=[recency, recency]"))
        .hasMessageContaining("each feature once");
  }
}
