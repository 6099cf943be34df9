// Generates the demo "sensitive" table policies/demo/visits.csv: 20,000 synthetic hospital visits with real
// dependencies between columns, so that a synthesizer has structure to find. Nothing here is real data.
//
//   dotnet run policies/demo/generate.cs            (from the repository root; writes policies/demo/visits.csv)
//
// The generator is seeded (seed 20261123), so the committed CSV is reproducible byte for byte.
// Dependencies built in (the causal story, in sampling order):
//   age         ~ a mixture of adults and older patients, plus some children
//   sex         ~ 52% F
//   region      ~ fixed shares
//   insurance   | age, region      (over-65s mostly Public; the South has more uninsured)
//   diagnosis   | age, sex         (Maternity only for women 16-49, Cardiac rises with age, Injury among the young)
//   admit_date  | diagnosis        (Respiratory peaks in winter months), 2024-01-01 .. 2025-12-31
//   length_of_stay | diagnosis, age
//   smoker      | age, sex         (8% missing: not recorded)
//   bmi         | age              (5% missing), one decimal
//   cost        | length_of_stay, diagnosis, insurance
//   readmitted  | diagnosis, age, length_of_stay, smoker
#:property GenerateDocumentationFile=true
using System.Globalization;
using System.Text;

const int Rows = 20_000;
var random = new Random(20261123);
var inv = CultureInfo.InvariantCulture;
var path = Path.Combine(args.Length > 0 ? args[0] : Path.Combine("policies", "demo"), "visits.csv");

string[] regions = ["North", "South", "East", "West", "Central"];
double[] regionShares = [0.22, 0.26, 0.18, 0.20, 0.14];

var text = new StringBuilder();
text.Append("age,sex,region,insurance,diagnosis,admit_date,length_of_stay,smoker,bmi,cost,readmitted\n");
for (var i = 0; i < Rows; i++)
{
    var age = SampleAge();
    var sex = random.NextDouble() < 0.52 ? "F" : "M";
    var region = regions[Pick(regionShares)];
    var insurance = SampleInsurance(age, region);
    var diagnosis = SampleDiagnosis(age, sex);
    var date = SampleDate(diagnosis);
    var stay = SampleStay(diagnosis, age);
    var smoker = SampleSmoker(age, sex);
    var bmi = SampleBmi(age);
    var cost = SampleCost(stay, diagnosis, insurance);
    var readmitted = SampleReadmitted(diagnosis, age, stay, smoker);
    text.Append(inv, $"{age},{sex},{region},{insurance},{diagnosis},{date:yyyy-MM-dd},{stay},{smoker},{bmi},{cost},{readmitted}\n");
}

File.WriteAllText(path, text.ToString(), new UTF8Encoding(false));
Console.WriteLine($"wrote {Rows} rows to {path}");

int SampleAge()
{
    var u = random.NextDouble();
    var age = u < 0.12 ? random.Next(0, 16)
        : u < 0.62 ? (int)Math.Round(Normal(42, 14))
        : (int)Math.Round(Normal(74, 9));
    return Math.Clamp(age, 0, 100);
}

string SampleInsurance(int age, string region)
{
    if (age >= 65)
    {
        return random.NextDouble() < 0.85 ? "Public" : "Private";
    }

    var uninsured = region == "South" ? 0.16 : 0.07;
    var u = random.NextDouble();
    return u < uninsured ? "None" : u < uninsured + 0.35 ? "Public" : "Private";
}

string SampleDiagnosis(int age, string sex)
{
    // Weights: Respiratory, Cardiac, Injury, Digestive, Maternity, Mental health, Other.
    double[] w =
    [
        age < 16 ? 0.35 : age >= 65 ? 0.22 : 0.14,
        age < 40 ? 0.03 : age < 65 ? 0.15 : 0.32,
        age < 30 ? 0.25 : 0.10,
        0.14,
        sex == "F" && age is >= 16 and <= 49 ? 0.30 : 0.0,
        age is >= 16 and < 65 ? 0.10 : 0.03,
        0.12,
    ];
    string[] names = ["Respiratory", "Cardiac", "Injury", "Digestive", "Maternity", "Mental health", "Other"];
    return names[Pick(w)];
}

DateTime SampleDate(string diagnosis)
{
    while (true)
    {
        var day = new DateTime(2024, 1, 1).AddDays(random.Next(0, 731));
        var winter = day.Month is 12 or 1 or 2;
        var keep = diagnosis != "Respiratory" || winter || random.NextDouble() < 0.45;
        if (keep)
        {
            return day;
        }
    }
}

int SampleStay(string diagnosis, int age)
{
    var mean = diagnosis switch
    {
        "Cardiac" => 6.0,
        "Respiratory" => 4.0,
        "Maternity" => 2.5,
        "Mental health" => 9.0,
        "Injury" => 3.5,
        _ => 3.0,
    } * (age >= 75 ? 1.6 : 1.0);
    // Geometric-like day counts: exponential rounded down, capped at 60 days.
    return Math.Min(60, (int)(-mean * Math.Log(1 - random.NextDouble())));
}

string SampleSmoker(int age, string sex)
{
    if (random.NextDouble() < 0.08 || age < 12)
    {
        return "";
    }

    var p = (sex == "M" ? 0.24 : 0.16) * (age >= 65 ? 0.6 : 1.0);
    return random.NextDouble() < p ? "true" : "false";
}

string SampleBmi(int age)
{
    if (random.NextDouble() < 0.05)
    {
        return "";
    }

    var mean = age < 16 ? 19.0 : age < 50 ? 26.0 : 28.0;
    return Math.Clamp(Math.Round(Normal(mean, 4.5), 1), 12.0, 60.0).ToString("0.0", inv);
}

string SampleCost(int stay, string diagnosis, string insurance)
{
    var perDay = diagnosis == "Cardiac" ? 3200.0 : 1800.0;
    var baseCost = diagnosis == "Cardiac" ? 6000.0 : 900.0;
    var factor = insurance == "Private" ? 1.25 : insurance == "None" ? 0.9 : 1.0;
    var cost = (baseCost + (perDay * (stay + 0.5))) * factor * Math.Exp(Normal(0, 0.25));
    return Math.Clamp(Math.Round(cost, 2), 100.0, 250_000.0).ToString("0.00", inv);
}

string SampleReadmitted(string diagnosis, int age, int stay, string smoker)
{
    var logit = -2.6 + (diagnosis is "Cardiac" or "Mental health" ? 0.9 : 0.0) + (age >= 70 ? 0.7 : 0.0)
                + (stay >= 7 ? 0.6 : 0.0) + (smoker == "true" ? 0.4 : 0.0);
    return random.NextDouble() < 1 / (1 + Math.Exp(-logit)) ? "yes" : "no";
}

int Pick(double[] weights)
{
    var u = random.NextDouble() * weights.Sum();
    for (var k = 0; k < weights.Length; k++)
    {
        u -= weights[k];
        if (u < 0)
        {
            return k;
        }
    }

    return weights.Length - 1;
}

double Normal(double mean, double sd) =>
    mean + (sd * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
