/** Deterministic, lazily evaluated synthetic customer lake built from Spark column expressions. */
package io.segmentlake.generate;
