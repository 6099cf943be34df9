using System.Text;
using static DPSynth.Reporting.Html;

namespace DPSynth.Release;

/// <summary>The sections both release reports share: the run header and the budget table.</summary>
internal static class ReportSections
{
    /// <summary>Appends <c>section#run</c>: dataset, policy, run, time, method, workload and the sorted parameters.</summary>
    public static void Header(StringBuilder h, ReportHeader header)
    {
        h.Append("<section id=\"run\"><h2>Run</h2><table class=\"facts\">");
        KeyRow(h, "dataset", E(header.DatasetId));
        KeyRow(h, "policy file", E(header.PolicyFile));
        KeyRow(h, "run id", E(header.RunId));
        KeyRow(h, "created (UTC)", header.Created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", Inv));
        KeyRow(h, "method", E(header.Method));
        KeyRow(h, "workload", E(header.Workload));
        h.Append("</table><h3>Method parameters</h3>");
        if (header.Parameters.Count == 0)
        {
            h.Append("<p>None.</p>");
        }
        else
        {
            h.Append("<table id=\"parameters\"><tr><th>parameter</th><th>value</th></tr>");
            foreach (var (key, value) in header.Parameters)
            {
                h.Append("<tr><td>").Append(E(key)).Append("</td><td>").Append(E(value)).Append("</td></tr>");
            }

            h.Append("</table>");
        }

        h.Append("</section>");
    }

    /// <summary>
    /// Appends <c>section#budget</c>: this run's rho, epsilon and delta; the dataset's total spend after this run and its
    /// cap from the ledger, or a note that no ledger was used.
    /// </summary>
    public static void Budget(StringBuilder h, ReportBudget budget)
    {
        h.Append("<section id=\"budget\"><h2>Privacy budget</h2>")
            .Append("<table id=\"budget-table\"><tr><th></th><th>rho (zCDP)</th><th>epsilon</th><th>delta</th></tr>");
        h.Append("<tr><td>this run</td><td>").Append(G6(budget.RunRho.ToDoubleUp())).Append("</td><td>")
            .Append(G6(budget.RunEpsilon)).Append("</td><td>").Append(G6(budget.Delta)).Append("</td></tr>");
        if (budget.Ledger is { } spend)
        {
            h.Append("<tr><td>dataset total after this run</td><td>").Append(G6(spend.Spent.ToDoubleUp())).Append("</td><td>")
                .Append(G6(budget.LedgerEpsilon ?? double.NaN)).Append("</td><td>").Append(G6(spend.Delta)).Append("</td></tr>");
            h.Append("<tr><td>dataset cap</td>");
            if (spend.Cap is { } cap)
            {
                h.Append("<td>").Append(G6(cap.Rho)).Append("</td><td>").Append(G6(cap.Epsilon)).Append("</td><td>")
                    .Append(G6(cap.Delta)).Append("</td></tr>");
            }
            else
            {
                h.Append("<td colspan=\"3\">none: the dataset is uncapped</td></tr>");
            }
        }
        else
        {
            h.Append("<tr><td>dataset total</td><td colspan=\"3\">not recorded: this run used no budget ledger</td></tr>");
        }

        h.Append("</table><p>Every charge is rho-zCDP for adding or removing one row; epsilon is the tight conversion ")
            .Append("(Canonne, Kamath and Steinke 2020) at the delta shown.</p></section>");
    }
}
