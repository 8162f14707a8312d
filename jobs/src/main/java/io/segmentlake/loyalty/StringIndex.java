package io.segmentlake.loyalty;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Numbers strings 0, 1, 2, ... in the order they are added. A HashMap keyed by ids such as "P00042"
 * is slow: their String hash codes differ in a few low digits' worth of bits, so its buckets
 * overflow into trees. This table spreads the hash codes over its slots by Fibonacci hashing (open
 * addressing, at most two thirds full) and keeps the keys' characters in one array: a look-up reads
 * a slot and the key's characters, not a String object per key (the line pass looks up every line's
 * product, so the table is kept small enough to stay in the CPU's caches).
 */
final class StringIndex implements Serializable {
  // log2 of the number of slots.
  private int bits = 6;
  // Per slot: the key's hash code and its number plus one (0: an empty slot).
  private int[] slots = new int[2 << bits];
  // Key n's characters are chars[starts[n]] to chars[starts[n + 1] - 1].
  private int[] starts = new int[64];
  private char[] chars = new char[256];
  private int size;

  /** The number of distinct strings added. */
  int size() {
    return size;
  }

  /** The string's number, or -1 when it was never added. */
  int indexOf(String key) {
    int i = find(key, key.hashCode());
    return slots[2 * i + 1] - 1;
  }

  /** The string's number, numbering it next when it is new. */
  int add(String key) {
    int hash = key.hashCode();
    int i = find(key, hash);
    if (slots[2 * i + 1] > 0) {
      return slots[2 * i + 1] - 1;
    }
    int number = size++;
    if (size + 1 >= starts.length) {
      starts = Arrays.copyOf(starts, starts.length * 2);
    }
    int from = starts[number];
    while (from + key.length() > chars.length) {
      chars = Arrays.copyOf(chars, chars.length * 2);
    }
    key.getChars(0, key.length(), chars, from);
    starts[number + 1] = from + key.length();
    slots[2 * i] = hash;
    slots[2 * i + 1] = number + 1;
    if (3 * size > 2 << bits) {
      grow();
    }
    return number;
  }

  /** The slot of the key, or the empty slot where it would go. */
  private int find(String key, int hash) {
    int mask = (1 << bits) - 1;
    int i = slot(hash);
    while (slots[2 * i + 1] != 0 && !(slots[2 * i] == hash && matches(slots[2 * i + 1] - 1, key))) {
      i = (i + 1) & mask;
    }
    return i;
  }

  private boolean matches(int number, String key) {
    int from = starts[number];
    int length = key.length();
    if (starts[number + 1] - from != length) {
      return false;
    }
    for (int j = 0; j < length; j++) {
      if (chars[from + j] != key.charAt(j)) {
        return false;
      }
    }
    return true;
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
   * every bit of the hash code (the bits just above the low word, taken before, clustered ids such
   * as P00001..P20000: 4 probes per look-up instead of 1.25).
   */
  private int slot(int hash) {
    return (int) ((hash * 0x9E3779B97F4A7C15L) >>> (64 - bits));
  }
}
