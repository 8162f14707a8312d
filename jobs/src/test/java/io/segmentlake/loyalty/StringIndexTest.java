package io.segmentlake.loyalty;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.Platform;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;

class StringIndexTest {
  @Test
  void numbersStringsInTheOrderAddedAcrossGrowth() {
    StringIndex index = new StringIndex();
    for (int i = 0; i < 50_000; i++) {
      assertThat(index.add(utf8(String.format("P%05d", i)))).isEqualTo(i);
    }
    assertThat(index.size()).isEqualTo(50_000);
    assertThat(index.add(utf8("P00007"))).isEqualTo(7);
    assertThat(index.indexOf(utf8("P49999"))).isEqualTo(49_999);
    assertThat(index.indexOf(utf8("P50000"))).isEqualTo(-1);
    assertThat(index.indexOf(utf8(""))).isEqualTo(-1);
    assertThat(index.size()).isEqualTo(50_000);
    assertThat(index.key(42)).isEqualTo("P00042");
  }

  @Test
  void tellsApartKeysOfOtherLengthsAndBytes() {
    StringIndex index = new StringIndex();
    assertThat(index.add(utf8("P1"))).isEqualTo(0);
    assertThat(index.add(utf8("P10"))).isEqualTo(1);
    assertThat(index.add(utf8("Ünïcødé-€"))).isEqualTo(2);
    assertThat(index.add(utf8(""))).isEqualTo(3);
    assertThat(index.indexOf(utf8("P1"))).isEqualTo(0);
    assertThat(index.indexOf(utf8("P10"))).isEqualTo(1);
    assertThat(index.indexOf(utf8("P100"))).isEqualTo(-1);
    assertThat(index.indexOf(utf8("Ünïcødé-€"))).isEqualTo(2);
    assertThat(index.indexOf(utf8("Ünïcødé-$"))).isEqualTo(-1);
    assertThat(index.indexOf(utf8(""))).isEqualTo(3);
    assertThat(index.key(2)).isEqualTo("Ünïcødé-€");
  }

  @Test
  void findsAKeyInsideALargerBufferAsInARowAndCopiesTheKeyItAdds() {
    byte[] row = new byte[32];
    byte[] id = "P7".getBytes(StandardCharsets.UTF_8);
    System.arraycopy(id, 0, row, 13, id.length);
    UTF8String inRow = UTF8String.fromAddress(row, Platform.BYTE_ARRAY_OFFSET + 13, id.length);
    StringIndex index = new StringIndex();
    assertThat(index.add(inRow)).isEqualTo(0);
    // The row's buffer is reused for the next row: the index kept its own copy.
    row[14] = '8';
    assertThat(index.indexOf(utf8("P7"))).isEqualTo(0);
    assertThat(index.indexOf(inRow)).isEqualTo(-1);
    assertThat(index.key(0)).isEqualTo("P7");
  }

  @Test
  void findsTheStringColumnOfABinaryRowInPlace() {
    StringIndex index = new StringIndex();
    index.add(utf8("P1"));
    index.add(utf8("P2"));
    StructType schema =
        new StructType().add("n", DataTypes.IntegerType).add("id", DataTypes.StringType);
    UnsafeRow row =
        UnsafeProjection.create(schema).apply(new GenericInternalRow(new Object[] {7, utf8("P2")}));
    assertThat(index.indexOf(row, 1)).isEqualTo(1);
    row =
        UnsafeProjection.create(schema).apply(new GenericInternalRow(new Object[] {7, utf8("P3")}));
    assertThat(index.indexOf(row, 1)).isEqualTo(-1);
  }

  private static UTF8String utf8(String s) {
    return UTF8String.fromString(s);
  }
}
