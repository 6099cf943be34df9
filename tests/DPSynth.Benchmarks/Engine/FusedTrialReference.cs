using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using DPSynth.Inference.Kernels;

namespace DPSynth.Benchmarks.Engine;

/// <summary>
/// A reference kernel, not the engine: one mirror-descent trial on a root clique of <c>outer x inner</c> cells and one
/// child of <c>inner x block</c> cells whose separator is the root's trailing <c>inner</c> cells and the child's leading
/// ones (the 3-way chain's two largest cliques, 990,000 and 415,800 cells), written by hand as two passes over the cells,
/// to measure how close to the memory-bandwidth bound a fused iteration gets on this machine.
/// </summary>
/// <remarks>
/// Each clique has one L2 measurement of itself, read in place, so its gradient at the current marginal <c>mu</c> is
/// <c>w2 (mu - y)</c>. Upward: <c>theta = origin - s w2 (mu - y)</c> (written), the child's blocked log-sum-exp onto the
/// separator with its exponentials kept, then the root's belief with that message and its exponentials against each row's
/// maximum. Downward: the root's marginal, its loss and Armijo terms and its sums onto the separator in one pass, then
/// the child's marginal with its loss and Armijo terms. 72 bytes a cell (three reads and two writes up, three reads and
/// one write down) against the bound's 48; one exponential a cell. No structural zeros, no other cliques, no line
/// search: what a general engine cannot beat on these cliques.
/// </remarks>
internal sealed class FusedTrialReference
{
    private readonly int outer, inner, block;
    private readonly double[] rootOrigin, rootTheta, rootMu, rootY, rootNew;
    private readonly double[] childOrigin, childTheta, childMu, childY, childNew;
    private readonly double[] message, childMax, childSums, rootRowMax, rootRowSum, separatorA, separatorB;
    private readonly double w2, total;

    public FusedTrialReference(
        int outer, int inner, int block, (double[] Origin, double[] Mu, double[] Y) root, (double[] Origin, double[] Mu, double[] Y) child, double w2, double total)
    {
        (this.outer, this.inner, this.block, this.w2, this.total) = (outer, inner, block, w2, total);
        (rootOrigin, rootMu, rootY) = root;
        (childOrigin, childMu, childY) = child;
        rootTheta = new double[rootOrigin.Length];
        rootNew = new double[rootOrigin.Length];
        childTheta = new double[childOrigin.Length];
        childNew = new double[childOrigin.Length];
        message = new double[inner];
        childMax = new double[inner];
        childSums = new double[inner];
        separatorA = new double[inner];
        separatorB = new double[inner];
        rootRowMax = new double[outer];
        rootRowSum = new double[outer];
    }

    /// <summary>The trial's root marginal (after <see cref="Trial"/>).</summary>
    public double[] RootMarginal => rootNew;

    /// <summary>The trial's child marginal (after <see cref="Trial"/>).</summary>
    public double[] ChildMarginal => childNew;

    /// <summary>One trial of step <paramref name="step"/>: returns the trial's loss; <paramref name="dot"/> is the Armijo term.</summary>
    public double Trial(double step, out double dot)
    {
        var a = -step * w2;
        SecondCore.Run(() => ChildUp(a, 0, inner / 2), () => ChildUp(a, inner / 2, inner));
        TensorPrimitives.Log(childSums, message);
        TensorPrimitives.Add(message, childMax, message);
        SecondCore.Run(() => RootUp(a, 0, outer / 2), () => RootUp(a, outer / 2, outer));
        var max = TensorPrimitives.Max<double>(rootRowMax);
        double z = 0;
        for (var r = 0; r < outer; r++)
        {
            z += rootRowSum[r] * Math.Exp(rootRowMax[r] - max);
        }

        var logZ = max + Math.Log(z);
        double l0 = 0, l1 = 0, d0 = 0, d1 = 0;
        SecondCore.Run(() => (l0, d0) = RootDown(logZ, 0, outer / 2, separatorA), () => (l1, d1) = RootDown(logZ, outer / 2, outer, separatorB));
        double l2 = 0, l3 = 0, d2 = 0, d3 = 0;
        SecondCore.Run(() => (l2, d2) = ChildDown(0, inner / 2), () => (l3, d3) = ChildDown(inner / 2, inner));
        dot = w2 * (d0 + d1 + d2 + d3);
        return 0.5 * w2 * (l0 + l1 + l2 + l3);
    }

    /// <summary>Separator cells <c>[s0, s1)</c>: theta, each block's maximum, its exponentials and their sum.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ChildUp(double a, int s0, int s1)
    {
        const int Piece = 48;
        var w = Vector<double>.Count;
        var va = Vector.Create(a);
        for (var p = s0; p < s1; p += Piece)
        {
            var end = Math.Min(s1, p + Piece);
            for (var s = p; s < end; s++)
            {
                // Theta and the block's maximum in one loop, then the shifted cells; the piece is exponentiated at once.
                var j = s * block;
                var vmax = Vector.Create(double.NegativeInfinity);
                var k = 0;
                for (; k <= block - w; k += w)
                {
                    var theta = Vector.LoadUnsafe(ref childOrigin[j + k]) + (va * (Vector.LoadUnsafe(ref childMu[j + k]) - Vector.LoadUnsafe(ref childY[j + k])));
                    theta.StoreUnsafe(ref childTheta[j + k]);
                    vmax = Vector.Max(vmax, theta);
                }

                var max = double.NegativeInfinity;
                for (; k < block; k++)
                {
                    childTheta[j + k] = childOrigin[j + k] + (a * (childMu[j + k] - childY[j + k]));
                    max = Math.Max(max, childTheta[j + k]);
                }

                for (var q = 0; q < w; q++)
                {
                    max = Math.Max(max, vmax.GetElement(q));
                }

                childMax[s] = max;
                var vm = Vector.Create(max);
                for (k = 0; k <= block - w; k += w)
                {
                    (Vector.LoadUnsafe(ref childTheta[j + k]) - vm).StoreUnsafe(ref childNew[j + k]);
                }

                for (; k < block; k++)
                {
                    childNew[j + k] = childTheta[j + k] - max;
                }
            }

            var exps = childNew.AsSpan(p * block, (end - p) * block);
            TensorPrimitives.Exp(exps, exps);
            for (var s = p; s < end; s++)
            {
                childSums[s] = TensorPrimitives.Sum<double>(childNew.AsSpan(s * block, block));
            }
        }
    }

    /// <summary>Rows <c>[r0, r1)</c> of the root: theta, the belief with the child's message, its row maximum, exponentials and sum.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void RootUp(double a, int r0, int r1)
    {
        var w = Vector<double>.Count;
        var va = Vector.Create(a);
        for (var r = r0; r < r1; r++)
        {
            var j = r * inner;
            var vmax = Vector.Create(double.NegativeInfinity);
            var k = 0;
            for (; k <= inner - w; k += w)
            {
                var theta = Vector.LoadUnsafe(ref rootOrigin[j + k]) + (va * (Vector.LoadUnsafe(ref rootMu[j + k]) - Vector.LoadUnsafe(ref rootY[j + k])));
                theta.StoreUnsafe(ref rootTheta[j + k]);
                var belief = theta + Vector.LoadUnsafe(ref message[k]);
                belief.StoreUnsafe(ref rootNew[j + k]);
                vmax = Vector.Max(vmax, belief);
            }

            var max = double.NegativeInfinity;
            for (var q = 0; q < w; q++)
            {
                max = Math.Max(max, vmax.GetElement(q));
            }

            for (; k < inner; k++)
            {
                rootTheta[j + k] = rootOrigin[j + k] + (a * (rootMu[j + k] - rootY[j + k]));
                rootNew[j + k] = rootTheta[j + k] + message[k];
                max = Math.Max(max, rootNew[j + k]);
            }

            var row = rootNew.AsSpan(j, inner);
            TensorPrimitives.Subtract(row, max, row);
            TensorPrimitives.Exp(row, row);
            rootRowMax[r] = max;
            rootRowSum[r] = TensorPrimitives.Sum<double>(row);
        }
    }

    /// <summary>Rows <c>[r0, r1)</c>: the root's marginal, its loss and Armijo sums, and its sums onto the separator.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private (double Squares, double Dot) RootDown(double logZ, int r0, int r1, double[] separator)
    {
        Array.Clear(separator);
        var w = Vector<double>.Count;
        Vector<double> squares = Vector<double>.Zero, dot = Vector<double>.Zero;
        double tailSquares = 0, tailDot = 0;
        for (var r = r0; r < r1; r++)
        {
            var j = r * inner;
            var scale = total * Math.Exp(rootRowMax[r] - logZ);
            var vs = Vector.Create(scale);
            var k = 0;
            for (; k <= inner - w; k += w)
            {
                var mu = Vector.LoadUnsafe(ref rootNew[j + k]) * vs;
                mu.StoreUnsafe(ref rootNew[j + k]);
                var y = Vector.LoadUnsafe(ref rootY[j + k]);
                var current = Vector.LoadUnsafe(ref rootMu[j + k]);
                squares += (mu - y) * (mu - y);
                dot += (current - y) * (current - mu);
                (Vector.LoadUnsafe(ref separator[k]) + mu).StoreUnsafe(ref separator[k]);
            }

            for (; k < inner; k++)
            {
                var mu = rootNew[j + k] * scale;
                rootNew[j + k] = mu;
                tailSquares += (mu - rootY[j + k]) * (mu - rootY[j + k]);
                tailDot += (rootMu[j + k] - rootY[j + k]) * (rootMu[j + k] - mu);
                separator[k] += mu;
            }
        }

        return (Vector.Sum(squares) + tailSquares, Vector.Sum(dot) + tailDot);
    }

    /// <summary>Separator cells <c>[s0, s1)</c>: the child's marginal (its exponentials times the separator's marginal over their sum), loss and Armijo sums.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private (double Squares, double Dot) ChildDown(int s0, int s1)
    {
        var w = Vector<double>.Count;
        Vector<double> squares = Vector<double>.Zero, dot = Vector<double>.Zero;
        double tailSquares = 0, tailDot = 0;
        for (var s = s0; s < s1; s++)
        {
            var ratio = childSums[s] > 0 ? (separatorA[s] + separatorB[s]) / childSums[s] : 0;
            var vr = Vector.Create(ratio);
            var j = s * block;
            var k = 0;
            for (; k <= block - w; k += w)
            {
                var mu = Vector.LoadUnsafe(ref childNew[j + k]) * vr;
                mu.StoreUnsafe(ref childNew[j + k]);
                var y = Vector.LoadUnsafe(ref childY[j + k]);
                var current = Vector.LoadUnsafe(ref childMu[j + k]);
                squares += (mu - y) * (mu - y);
                dot += (current - y) * (current - mu);
            }

            for (; k < block; k++)
            {
                var mu = childNew[j + k] * ratio;
                childNew[j + k] = mu;
                tailSquares += (mu - childY[j + k]) * (mu - childY[j + k]);
                tailDot += (childMu[j + k] - childY[j + k]) * (childMu[j + k] - mu);
            }
        }

        return (Vector.Sum(squares) + tailSquares, Vector.Sum(dot) + tailDot);
    }
}
