// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report.summary;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A realistic, seeded set of daily reports for example.com: its own servers, a mail service that
 * signs with example.com, a mailing list that forwards, a CRM service that signs with its own
 * domain, and spoofers; six reporters, one of which stops for five days.
 */
final class SampleReports {
  private SampleReports() {}

  static List<ReportXml> generate(LocalDate first, int days, long seed) {
    Random rnd = new Random(seed);
    String[][] reporters = {
      {"google.example", "noreply-dmarc-support@google.example"},
      {"Outlook.example", "dmarcreport@outlook.example"},
      {"Yahoo.example", "dmarchelp@yahoo.example"},
      {"mail.ru.example", "dmarc_support@corp.mail.ru.example"},
      {"Fastmail.example", "dmarc@fastmail.example"},
      {"GMX.example", "dmarc@gmx.example"},
    };
    double[] share = {0.45, 0.25, 0.12, 0.08, 0.06, 0.04};
    List<ReportXml> out = new ArrayList<>();
    for (int d = 0; d < days; d++) {
      LocalDate day = first.plusDays(d);
      boolean weekend =
          day.getDayOfWeek() == DayOfWeek.SATURDAY || day.getDayOfWeek() == DayOfWeek.SUNDAY;
      int base = weekend ? 400 : 1500;
      for (int r = 0; r < reporters.length; r++) {
        if (r == 2 && d >= days / 2 && d < days / 2 + 5) {
          continue; // an outage at one reporter
        }
        if (r == 5 && rnd.nextInt(4) == 0) {
          continue; // a small receiver that sees mail on three days of four
        }
        ReportXml x = ReportXml.daily(reporters[r][0], reporters[r][1], day);
        double s = share[r];
        long own = Math.max(1, Math.round(base * s * (0.8 + 0.4 * rnd.nextDouble())));
        x.row(
            "192.0.2.10",
            own,
            "none",
            "pass",
            "pass",
            "example.com",
            "example.com",
            "dkim",
            "example.com=pass",
            "spf",
            "example.com=pass");
        x.row(
            "192.0.2.11",
            own / 3 + 1,
            "none",
            "pass",
            "pass",
            "example.com",
            "example.com",
            "dkim",
            "example.com=pass",
            "spf",
            "example.com=pass");
        x.row(
            "198.51.100.25",
            Math.round(base * s * 0.3) + 1,
            "none",
            "pass",
            "fail",
            "example.com",
            "bounces.mailservice.example",
            "dkim",
            "example.com=pass",
            "spf",
            "bounces.mailservice.example=pass");
        if (rnd.nextInt(3) > 0) {
          x.row(
              "198.51.100.200",
              rnd.nextInt(20) + 1,
              "none",
              "pass",
              "fail",
              "example.com",
              "lists.example.org",
              "dkim",
              "example.com=pass",
              "dkim",
              "lists.example.org=pass",
              "spf",
              "lists.example.org=pass");
        }
        x.row(
            "203.0.113.20",
            Math.round(base * s * 0.08) + 1,
            "none",
            "fail",
            "fail",
            "example.com",
            "bounce.crm-mailer.example",
            "dkim",
            "crm-mailer.example=pass",
            "spf",
            "bounce.crm-mailer.example=pass");
        int spoofers = rnd.nextInt(3);
        for (int k = 0; k < spoofers; k++) {
          String ip = "233.252.0." + (1 + rnd.nextInt(40));
          x.row(
              ip,
              rnd.nextInt(60) + 1,
              rnd.nextInt(5) == 0 ? "quarantine" : "none",
              "fail",
              "fail",
              "example.com",
              "example.com",
              "spf",
              "example.com=fail");
        }
        out.add(x);
      }
    }
    return out;
  }
}
