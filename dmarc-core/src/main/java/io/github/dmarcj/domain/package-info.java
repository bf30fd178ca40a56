// SPDX-License-Identifier: Apache-2.0
/**
 * Domain names and Organizational Domains: {@link io.github.dmarcj.domain.DomainName} (A-labels,
 * lower case), the {@link io.github.dmarcj.domain.PublicSuffixList} and its {@link
 * io.github.dmarcj.domain.ReloadablePublicSuffixList}, and the {@link
 * io.github.dmarcj.domain.OrganizationalDomainFinder} (RFC 9989 §4.10 tree walk or RFC 7489 §3.2
 * Public Suffix List).
 */
@NullMarked
package io.github.dmarcj.domain;

import org.jspecify.annotations.NullMarked;
