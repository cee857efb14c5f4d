/**
 * The xl-style domain commands of {@code coop} ({@code list}, {@code create}, {@code info},
 * {@code pause}, ...): each a small picocli command calling the host's management API.
 */
package org.coopvm.cli.domain;
