// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.milter;

/**
 * The wire constants of the mail filter protocol, version 6, as Sendmail's libmilter and Postfix
 * use them: a packet is a four-byte big-endian length (counting the command byte), one command or
 * reply byte and its data.
 */
final class MilterProtocol {
  private MilterProtocol() {}

  /** The protocol version this milter speaks. */
  static final int VERSION = 6;

  /** Oldest version accepted from an MTA (the first one with option negotiation as used here). */
  static final int MIN_VERSION = 2;

  // Commands, MTA to milter.
  static final byte C_ABORT = 'A';
  static final byte C_BODY = 'B';
  static final byte C_CONNECT = 'C';
  static final byte C_MACRO = 'D';
  static final byte C_BODYEOB = 'E';
  static final byte C_HELO = 'H';
  static final byte C_QUIT_NC = 'K';
  static final byte C_HEADER = 'L';
  static final byte C_MAIL = 'M';
  static final byte C_EOH = 'N';
  static final byte C_OPTNEG = 'O';
  static final byte C_QUIT = 'Q';
  static final byte C_RCPT = 'R';
  static final byte C_DATA = 'T';
  static final byte C_UNKNOWN = 'U';

  // Replies, milter to MTA.
  static final byte R_ADDHEADER = 'h';
  static final byte R_INSHEADER = 'i';
  static final byte R_CHGHEADER = 'm';
  static final byte R_QUARANTINE = 'q';
  static final byte R_ACCEPT = 'a';
  static final byte R_CONTINUE = 'c';
  static final byte R_REJECT = 'r';
  static final byte R_TEMPFAIL = 't';
  static final byte R_REPLYCODE = 'y';
  static final byte R_PROGRESS = 'p';
  static final byte R_OPTNEG = 'O';

  // Actions the milter may take (SMFIF_*), offered by the MTA in OPTNEG.
  static final int F_ADDHDRS = 0x01;
  static final int F_CHGHDRS = 0x10;
  static final int F_QUARANTINE = 0x20;

  // Protocol flags (SMFIP_*): steps the MTA may leave out or not wait for.
  static final int P_NOUNKNOWN = 0x100;
  static final int P_NODATA = 0x200;
  static final int P_HDR_LEADSPC = 0x100000;

  // No-reply flags (SMFIP_NR_*): the MTA does not wait for an answer to these steps.
  static final int P_NR_HDR = 0x80;
  static final int P_NR_DATA = 0x10000;
  static final int P_NR_UNKN = 0x20000;
  static final int P_NR_EOH = 0x40000;
  static final int P_NR_BODY = 0x80000;

  /**
   * The no-reply steps asked for: the header fields, end of header, body chunks, DATA and unknown
   * commands only ever get {@code continue}, so answering them costs a round trip per packet for
   * nothing. Connect, HELO, MAIL and RCPT keep their answers (a trusted client is accepted there).
   */
  static final int P_NO_REPLY = P_NR_HDR | P_NR_DATA | P_NR_UNKN | P_NR_EOH | P_NR_BODY;

  /** Address families in SMFIC_CONNECT. */
  static final byte FAMILY_UNKNOWN = 'U';

  static final byte FAMILY_UNIX = 'L';
  static final byte FAMILY_INET = '4';
  static final byte FAMILY_INET6 = '6';
}
