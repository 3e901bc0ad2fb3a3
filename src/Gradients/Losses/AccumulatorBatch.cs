namespace Gradients;

/// <summary>The argument checks every streaming accumulator makes on a batch of rows and on a row range of a data set.</summary>
internal static class AccumulatorBatch
{
    /// <summary>Features of N × D elements for the batch's N rows, and sample weights empty or one per row.</summary>
    /// <param name="featuresLength">The features' length.</param>
    /// <param name="rows">N, the batch's targets or labels.</param>
    /// <param name="dimension">The accumulator's D.</param>
    /// <param name="sampleWeightsLength">The sample weights' length (0: every row weighs 1).</param>
    /// <param name="rowsName">How the messages name N (e.g. "targets.Length (N)").</param>
    public static void Validate(int featuresLength, int rows, int dimension, int sampleWeightsLength, string rowsName)
    {
        ThrowHelper.ThrowIfNotMatrix(featuresLength, rows, dimension, "features", rowsName, "the accumulator's dimension D");
        if (sampleWeightsLength != 0)
        {
            ThrowHelper.ThrowIfLengthMismatch(sampleWeightsLength, rows, "sampleWeights", rowsName);
        }
    }

    /// <summary>Rows <paramref name="start"/>…<paramref name="start"/> + <paramref name="count"/> − 1 lie inside the data set's N rows.</summary>
    /// <param name="start">The first row.</param>
    /// <param name="count">How many rows.</param>
    /// <param name="rows">N.</param>
    public static void ValidateRange(int start, int count, int rows)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count > rows - start)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(count), count, $"Rows {start}…{(long)start + count - 1} pass the last row of the data set (N = {rows}).");
        }
    }
}
