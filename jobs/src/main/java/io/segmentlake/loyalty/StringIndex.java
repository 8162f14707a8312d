package io.segmentlake.loyalty;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.unsafe.Platform;
import org.apache.spark.unsafe.array.ByteArrayMethods;
import org.apache.spark.unsafe.hash.Murmur3_x86_32;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Numbers strings 0, 1, 2, ... in the order they are added, and finds them by their UTF-8 bytes (as
 * Spark's rows hold them, without a String per look-up). A HashMap of 20 k ids is slow here: a
 * look-up follows a node, a key object and its bytes, about 150 ns when they are not in the CPU's
 * caches. This table keeps the hash codes and numbers in one int array (open addressing, at most
 * two thirds full) and the keys' bytes in one byte array: a look-up reads a slot and the key's
 * bytes, and the table of a products catalog stays in the caches.
 */
final class StringIndex implements Serializable {
  // log2 of the number of slots.
  private int bits = 6;
  // Per slot: the key's hash code and its number plus one (0: an empty slot).
  private int[] slots = new int[2 << bits];
  // Key n's bytes are bytes[starts[n]] to bytes[starts[n + 1] - 1].
  private int[] starts = new int[64];
  private byte[] bytes = new byte[256];
  private int size;

  /** The number of distinct strings added. */
  int size() {
    return size;
  }

  /** The string's number, or -1 when it was never added. */
  int indexOf(UTF8String key) {
    return number(key.getBaseObject(), key.getBaseOffset(), key.numBytes());
  }

  /**
   * The number of a row's string column, or -1 when it is null or was never added. The bytes of
   * Spark's binary rows are read in place, with no UTF8String for them.
   */
  int indexOf(InternalRow row, int ordinal) {
    if (row.isNullAt(ordinal)) {
      return -1;
    }
    if (row instanceof UnsafeRow binary) {
      return number(
          binary.getBaseObject(),
          BinaryStrings.offset(binary, ordinal),
          BinaryStrings.size(binary, ordinal));
    }
    return indexOf(row.getUTF8String(ordinal));
  }

  private int number(Object base, long offset, int size) {
    int i = find(base, offset, size, hash(base, offset, size));
    return slots[2 * i + 1] - 1;
  }

  /** The string's number, numbering it next when it is new. */
  int add(UTF8String key) {
    Object base = key.getBaseObject();
    long offset = key.getBaseOffset();
    int hash = hash(base, offset, key.numBytes());
    int i = find(base, offset, key.numBytes(), hash);
    if (slots[2 * i + 1] > 0) {
      return slots[2 * i + 1] - 1;
    }
    int number = size++;
    if (size + 1 >= starts.length) {
      starts = Arrays.copyOf(starts, starts.length * 2);
    }
    int from = starts[number];
    while (from + key.numBytes() > bytes.length) {
      bytes = Arrays.copyOf(bytes, bytes.length * 2);
    }
    key.writeToMemory(bytes, Platform.BYTE_ARRAY_OFFSET + from);
    starts[number + 1] = from + key.numBytes();
    slots[2 * i] = hash;
    slots[2 * i + 1] = number + 1;
    if (3 * size > 2 << bits) {
      grow();
    }
    return number;
  }

  /** The string numbered n. */
  String key(int n) {
    return new String(bytes, starts[n], starts[n + 1] - starts[n], StandardCharsets.UTF_8);
  }

  /** The slot of the key (its bytes), or the empty slot where it would go. */
  private int find(Object base, long offset, int size, int hash) {
    int mask = (1 << bits) - 1;
    int i = slot(hash);
    while (slots[2 * i + 1] != 0
        && !(slots[2 * i] == hash && matches(slots[2 * i + 1] - 1, base, offset, size))) {
      i = (i + 1) & mask;
    }
    return i;
  }

  private boolean matches(int number, Object base, long offset, int size) {
    int from = starts[number];
    return starts[number + 1] - from == size
        && ByteArrayMethods.arrayEquals(
            bytes, Platform.BYTE_ARRAY_OFFSET + from, base, offset, size);
  }

  /** The hash code of a key's bytes (UTF8String's). */
  private static int hash(Object base, long offset, int size) {
    return Murmur3_x86_32.hashUnsafeBytes(base, offset, size, 42);
  }

  private void grow() {
    int[] old = slots;
    bits++;
    slots = new int[2 << bits];
    int mask = (1 << bits) - 1;
    for (int j = 0; j < old.length; j += 2) {
      if (old[j + 1] != 0) {
        int i = slot(old[j]);
        while (slots[2 * i + 1] != 0) {
          i = (i + 1) & mask;
        }
        slots[2 * i] = old[j];
        slots[2 * i + 1] = old[j + 1];
      }
    }
  }

  /**
   * Fibonacci hashing: the top bits of the hash code times 2^64 / golden ratio, which depend on
   * every bit of the hash code.
   */
  private int slot(int hash) {
    return (int) ((hash * 0x9E3779B97F4A7C15L) >>> (64 - bits));
  }
}
