package io.segmentlake;

import java.util.List;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;

/** Join columns in the form Dataset.join(other, usingColumns) takes from Java. */
public final class JoinKeys {
  private JoinKeys() {}

  /** The columns as a Scala sequence. */
  public static Seq<String> of(String... columns) {
    return CollectionConverters.asScala(List.of(columns)).toList();
  }
}
