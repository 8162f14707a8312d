package io.segmentlake.loyalty;

import java.io.Serializable;

/**
 * Numbers strings 0, 1, 2, ... in the order they are added. A HashMap keyed by ids such as "P00042"
 * is slow: their String hash codes differ in a few low digits' worth of bits, so its buckets
 * overflow into trees; this table mixes the hash code's bits first (open addressing).
 */
final class StringIndex implements Serializable {
  private String[] keys = new String[64];
  // Each slot's key's hash code: a probe compares it first and reads a key only when it matches.
  private int[] hashes = new int[64];
  private int[] numbers = new int[64];
  private int size;

  /** The number of distinct strings added. */
  int size() {
    return size;
  }

  /** The string's number, or -1 when it was never added. */
  int indexOf(String key) {
    int mask = keys.length - 1;
    int hash = key.hashCode();
    for (int i = slot(hash, mask); keys[i] != null; i = (i + 1) & mask) {
      if (hashes[i] == hash && keys[i].equals(key)) {
        return numbers[i];
      }
    }
    return -1;
  }

  /** The string's number, numbering it next when it is new. */
  int add(String key) {
    int mask = keys.length - 1;
    int hash = key.hashCode();
    int i = slot(hash, mask);
    for (; keys[i] != null; i = (i + 1) & mask) {
      if (hashes[i] == hash && keys[i].equals(key)) {
        return numbers[i];
      }
    }
    keys[i] = key;
    hashes[i] = hash;
    numbers[i] = size;
    if (++size * 2 > keys.length) {
      grow();
    }
    return size - 1;
  }

  private void grow() {
    String[] oldKeys = keys;
    int[] oldHashes = hashes;
    int[] oldNumbers = numbers;
    keys = new String[oldKeys.length * 2];
    hashes = new int[oldKeys.length * 2];
    numbers = new int[oldKeys.length * 2];
    int mask = keys.length - 1;
    for (int j = 0; j < oldKeys.length; j++) {
      if (oldKeys[j] != null) {
        int i = slot(oldHashes[j], mask);
        while (keys[i] != null) {
          i = (i + 1) & mask;
        }
        keys[i] = oldKeys[j];
        hashes[i] = oldHashes[j];
        numbers[i] = oldNumbers[j];
      }
    }
  }

  private static int slot(int hash, int mask) {
    // Fibonacci hashing: the high bits of the product depend on every bit of the hash code.
    return (int) ((hash * 0x9E3779B97F4A7C15L) >>> 32) & mask;
  }
}
