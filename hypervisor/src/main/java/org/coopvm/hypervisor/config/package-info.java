/**
 * Host and domain configuration: {@link org.coopvm.hypervisor.config.HostConfig} and
 * {@link org.coopvm.hypervisor.config.DomainConfig} records read from xl.cfg-style files by
 * {@link org.coopvm.hypervisor.config.XlConfigParser}. Validation is strict: unknown keys,
 * repeated keys, wrong types and out-of-range values are a
 * {@link org.coopvm.hypervisor.config.ConfigException} naming the file, line, key and what is allowed.
 */
package org.coopvm.hypervisor.config;
