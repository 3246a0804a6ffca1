package org.quotaledger.security;

import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.security.config.annotation.web.configurers.HeadersConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.header.HeaderWriterFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;

import jakarta.servlet.DispatcherType;

/**
 * Authentication (configured users over HTTP Basic, and JWT bearer tokens when an issuer or key
 * is configured) and authorization from {@link EndpointRules}. The API is stateless, so it needs
 * no CSRF token; anything of it not in the rules is denied. Browser pages are a second chain,
 * with sessions and CSRF protection.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SecuritySettings.class)
class SecurityConfiguration {

    static final String CONTENT_SECURITY_POLICY =
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                    + "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    @Bean
    PasswordEncoder passwordEncoder() {
        return new RememberingPasswordEncoder(new BCryptPasswordEncoder());
    }

    /**
     * No observation of each security filter, authentication and authorization: nothing reads
     * them (ops/ watches http.server.requests, which stays), and wrapping ~15 filters in
     * observations with timers took about 8 % of the CPU samples of recorded shipments (JFR, hot figure).
     */
    @Bean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    UserDetailsService configuredUsers(SecuritySettings settings) {
        return username -> settings.users().stream()
                .filter(user -> user.username().equals(username))
                .findFirst()
                .map(user -> new LedgerUser(user.username(), user.passwordHash(),
                        user.roles().stream().map(role -> new SimpleGrantedAuthority(role.authority())).toList(),
                        user.exporterId()))
                .orElseThrow(() -> new UsernameNotFoundException("no such user"));
    }

    /** Paths of the stateless API and its documentation; everything else is for browsers. */
    static final String[] API_PATHS = {"/api/**", "/actuator/**", "/v3/api-docs", "/v3/api-docs/**", "/v3/api-docs.yaml",
            "/swagger-ui.html", "/swagger-ui/**", "/error"};

    @Bean
    @Order(1)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    SecurityFilterChain api(HttpSecurity http, SecuritySettings settings, ObjectProvider<JwtDecoder> jwtDecoder,
                            ProblemAuthenticationEntryPoint problems, RateLimitFilter rateLimit) throws Exception {
        http.securityMatcher(API_PATHS)
                .authorizeHttpRequests(requests -> {
                    requests.dispatcherTypeMatchers(DispatcherType.ERROR).permitAll();
                    for (EndpointRules.Rule rule : EndpointRules.RULES) {
                        authorize(requests.requestMatchers(rule.method(), rule.pattern()), rule);
                    }
                    requests.anyRequest().denyAll();
                })
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable())
                .httpBasic(basic -> basic.authenticationEntryPoint(problems))
                .exceptionHandling(errors -> errors.authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .headers(SecurityConfiguration::securityHeaders)
                .addFilterAfter(rateLimit, AuthorizationFilter.class);
        if (jwtDecoder.getIfAvailable() != null) {
            http.oauth2ResourceServer(oauth -> oauth
                    .authenticationEntryPoint(problems)
                    .jwt(jwt -> jwt.jwtAuthenticationConverter(new JwtClaims(settings.jwt()))));
        }
        return http.build();
    }

    /**
     * Browser pages (the dashboard to come): a signed-in session from a login form, so every
     * state-changing request needs a CSRF token.
     */
    @Bean
    @Order(2)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    SecurityFilterChain browser(HttpSecurity http, RateLimitFilter rateLimit) throws Exception {
        http.authorizeHttpRequests(requests -> {
                    requests.requestMatchers("/login").permitAll();
                    for (EndpointRules.Rule rule : EndpointRules.RULES) { // the pages' rules; the API's never get here
                        authorize(requests.requestMatchers(rule.method(), rule.pattern()), rule);
                    }
                    requests.anyRequest().authenticated();
                })
                .formLogin(Customizer.withDefaults())
                .csrf(Customizer.withDefaults())
                .headers(SecurityConfiguration::securityHeaders)
                .addFilterAfter(rateLimit, AuthorizationFilter.class);
        return http.build();
    }

    /**
     * The same headers on API answers and on pages. They are written when the request comes in:
     * written when the response commits (the default), they were written by whichever thread
     * flushed first, and a balance stream's first event is sent from another thread than the
     * request's. Tomcat's headers are not thread-safe: under the benchmark's 500 subscribers a
     * stream now and then failed with a NullPointerException inside them and never sent its
     * snapshot (spring-security#9175).
     */
    private static void securityHeaders(HeadersConfigurer<HttpSecurity> headers) {
        headers.contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
                .frameOptions(frame -> frame.deny())
                .contentTypeOptions(Customizer.withDefaults())
                .referrerPolicy(referrer -> referrer.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.NO_REFERRER))
                .withObjectPostProcessor(new ObjectPostProcessor<HeaderWriterFilter>() {
                    @Override
                    public <O extends HeaderWriterFilter> O postProcess(O filter) {
                        filter.setShouldWriteHeadersEagerly(true);
                        return filter;
                    }
                });
    }

    private static void authorize(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizedUrl url, EndpointRules.Rule rule) {
        if (rule.anonymous()) {
            url.permitAll();
        } else {
            url.hasAnyRole(rule.roles().stream().map(Role::name).toArray(String[]::new));
        }
    }

    /** Who caused a command, copied from the command onto every event it applies. */
    @Bean
    CorrelationDataProvider attribution() {
        return new SimpleCorrelationDataProvider(CommandAttribution.KEYS.toArray(String[]::new));
    }

    /** The rate limit runs inside the security chain, after authentication; not a second time as a servlet filter. */
    @Bean
    FilterRegistrationBean<RateLimitFilter> rateLimitOutsideTheChain(RateLimitFilter filter) {
        FilterRegistrationBean<RateLimitFilter> registration = new FilterRegistrationBean<>(filter);
        registration.setEnabled(false);
        return registration;
    }
}
