package dev.gatehouse.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Checks that the statements the datastore really runs on the {@code user} table use an index:
 * H2 records every statement while a workload runs ({@code SET QUERY_STATISTICS TRUE}), and each
 * one on the {@code user} table is then {@code EXPLAIN}ed. A plan is indexed when the
 * {@code user} table is read through an index with a condition, never by a table scan.
 */
final class QueryPlans {
    private QueryPlans() {
    }

    /** One statement and its plan. */
    record Plan(String sql, String plan, boolean indexed) {
    }

    /** Runs {@code workload} on the H2 database at {@code url} (same JVM) and explains what it ran. */
    static List<Plan> capture(String url, Runnable workload) {
        try (Connection c = DriverManager.getConnection(url, "", "")) {
            try (Statement s = c.createStatement()) {
                s.execute("SET QUERY_STATISTICS FALSE"); // clears earlier entries
                s.execute("SET QUERY_STATISTICS TRUE");
            }
            workload.run();
            List<String> statements = new ArrayList<>();
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT SQL_STATEMENT FROM INFORMATION_SCHEMA.QUERY_STATISTICS")) {
                while (rs.next()) {
                    String sql = rs.getString(1);
                    String lower = sql.toLowerCase(Locale.ROOT);
                    if (lower.startsWith("select") && lower.contains("\"user\"")) {
                        statements.add(sql);
                    }
                }
            }
            try (Statement s = c.createStatement()) {
                s.execute("SET QUERY_STATISTICS FALSE");
            }
            Map<String, Plan> plans = new LinkedHashMap<>();
            for (String sql : statements) {
                plans.computeIfAbsent(sql, q -> explain(c, q));
            }
            return new ArrayList<>(plans.values());
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the query plans", e);
        }
    }

    private static Plan explain(Connection c, String sql) {
        try (PreparedStatement ps = c.prepareStatement("EXPLAIN " + sql)) {
            ParameterMetaData md = ps.getParameterMetaData();
            for (int i = 1; i <= md.getParameterCount(); i++) {
                ps.setObject(i, null);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                String plan = rs.getString(1);
                return new Plan(sql, plan, indexed(plan));
            }
        } catch (SQLException e) {
            return new Plan(sql, "EXPLAIN failed: " + e.getMessage(), false);
        }
    }

    /** The {@code user} table's access comment: {@code /* PUBLIC.SOME_INDEX: COLUMN = ?1 *}{@code /}. */
    static boolean indexed(String plan) {
        if (plan.contains("tableScan")) {
            return false;
        }
        int table = plan.indexOf("\"user\"");
        if (table < 0) {
            return false;
        }
        int open = plan.indexOf("/*", table);
        int close = open < 0 ? -1 : plan.indexOf("*/", open);
        return open >= 0 && close > open && plan.substring(open, close).contains(":");
    }
}
