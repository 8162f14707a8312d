package io.segmentlake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.segmentlake.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CSV and JSON exports, column mapping, and the as-of cut-off in a non-UTC zone. */
class InputFormatsTest {
  private static int rfm(Path in, Path out, String format, String asOf, String... extra) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "rfm",
                "--as-of",
                asOf,
                "--set",
                "input.invoices.path=\"" + in + "\"",
                "--set",
                "input.invoices.format=" + format,
                "--set",
                "input.root=\"" + in.getParent() + "/none\"",
                "--set",
                "output.root=\"" + out + "\"",
                "--set",
                "quality.max-quarantined-ratio=0.5"));
    for (String set : extra) {
      args.addAll(List.of("--set", set));
    }
    return Main.execute(args.toArray(String[]::new));
  }

  private static Row score(Path out, String customer) {
    return SharedSpark.session()
        .read()
        .parquet(out.resolve("rfm_scores").toString())
        .where("customer_id = '" + customer + "'")
        .first();
  }

  @Test
  void aPurchaseAt2330OnTheAsOfDayInNewYorkCountsAndOneAfterMidnightDoesNot(@TempDir Path dir)
      throws Exception {
    Path csv = dir.resolve("invoices.csv");
    Files.writeString(
        csv,
        """
        inv;cust;when;sku;qty;price
        i1;A;2024-03-01 12:00:00;p;1;10.00
        i2;A;2024-03-10 23:30:00;p;1;10.00
        i3;A;2024-03-11 00:30:00;p;1;99.00
        j1;B;2024-03-11T03:29:00Z;p;2;5.00
        """);
    int code =
        rfm(
            csv,
            dir.resolve("out"),
            "csv",
            "2024-03-10",
            "time-zone=America/New_York",
            "input.invoices.options.delimiter=\";\"",
            "input.invoices.columns.invoice_id=inv",
            "input.invoices.columns.customer_id=cust",
            "input.invoices.columns.invoice_ts=when",
            "input.invoices.columns.product_id=sku",
            "input.invoices.columns.quantity=qty",
            "input.invoices.columns.unit_price=\"cast(price as double)\"");
    assertThat(code).isEqualTo(0);
    Row a = score(dir.resolve("out"), "A");
    assertThat((Integer) a.getAs("recency_days")).isEqualTo(0);
    assertThat((Long) a.getAs("frequency")).isEqualTo(2);
    assertThat(a.getAs("monetary").toString()).isEqualTo("20.00");
    // 03:29 UTC on 11 March is 23:29 on 10 March in New York (EDT, UTC-4).
    assertThat((Integer) score(dir.resolve("out"), "B").getAs("recency_days")).isEqualTo(0);
    var counts = CliTest.manifest(dir.resolve("out"), "2024-03-10").at("/row_counts/invoices");
    assertThat(counts.at("/excluded_by_reason/after as-of date").asLong()).isEqualTo(1);
  }

  @Test
  void jsonLinesExportWithAnUnparsableRowQuarantined(@TempDir Path dir) throws Exception {
    Path json = dir.resolve("invoices.json");
    Files.writeString(
        json,
        """
        {"invoice_id":"1","customer_id":"A","invoice_ts":"2024-01-05T10:00:00","product_id":"p","quantity":3,"unit_price":2.5}
        {"invoice_id":"2","customer_id":"A","invoice_ts":"2024-01-06T10:00:00","product_id":"p","quantity":1,"unit_price":"n/a"}
        {"invoice_id":"3","customer_id":"B","invoice_ts":"2024-01-07T10:00:00","product_id":"p","quantity":1,"unit_price":4}
        """);
    assertThat(rfm(json, dir.resolve("out"), "json", "2024-01-31")).isEqualTo(0);
    assertThat(score(dir.resolve("out"), "A").getAs("monetary").toString()).isEqualTo("7.50");
    var counts = CliTest.manifest(dir.resolve("out"), "2024-01-31").at("/row_counts/invoices");
    assertThat(counts.at("/quarantined_by_reason/unparsable unit_price").asLong()).isEqualTo(1);
    Row quarantined =
        SharedSpark.session().read().parquet(dir.resolve("out/quarantine").toString()).first();
    assertThat(quarantined.<String>getAs("raw_row")).contains("\"unit_price\":\"n/a\"");
  }
}
