package dev.ringpark;

import java.lang.management.ManagementFactory;
import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.JMException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.ObjectName;

/**
 * {@link Ringpark#statistics()} as a read-only MBean, {@value Ringpark#MXBEAN_NAME}: one attribute
 * per figure of {@link RingparkStatistics}, named as its accessor (the counts by kind as
 * {@code completedRead}, {@code completedWrite}, ...), plus {@code operations} and
 * {@code submissionsPerKernelCall}. Each read takes a fresh snapshot. Built from the record's
 * components, so that a figure added to the record appears here without a second list.
 */
final class StatisticsMBean implements DynamicMBean {
    private final MBeanInfo info;

    private StatisticsMBean() {
        Map<String, Object> sample = attributes(Ringpark.statistics());
        MBeanAttributeInfo[] attributes = sample.entrySet().stream()
                .map(entry -> new MBeanAttributeInfo(entry.getKey(), entry.getValue().getClass().getName(),
                        "see RingparkStatistics", true, false, false))
                .toArray(MBeanAttributeInfo[]::new);
        info = new MBeanInfo(StatisticsMBean.class.getName(), "What Ringpark has done in this process",
                attributes, null, new MBeanOperationInfo[0], null);
    }

    /**
     * Registers the MBean with the platform MBean server, on a thread of its own: creating that server
     * the first time takes tens of milliseconds, which the first open should not wait for. Another
     * copy of Ringpark in the same process (loaded by another class loader) finds the name taken and
     * leaves it to the first.
     */
    static void registerSoon() {
        Thread.ofVirtual().name("ringpark-jmx").start(() -> {
            try {
                ManagementFactory.getPlatformMBeanServer().registerMBean(new StatisticsMBean(),
                        new ObjectName(Ringpark.MXBEAN_NAME));
            } catch (JMException | RuntimeException taken) {
                // already registered by another copy of Ringpark, or no JMX here: the API still answers
            }
        });
    }

    /** The attributes of {@code statistics}, by name, in the record's order. */
    static Map<String, Object> attributes(RingparkStatistics statistics) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        try {
            for (RecordComponent component : RingparkStatistics.class.getRecordComponents()) {
                Object value = component.getAccessor().invoke(statistics);
                if (value instanceof Map<?, ?> byKind) {
                    byKind.forEach((kind, count) -> attributes.put(component.getName() + capitalized(kind), count));
                } else {
                    attributes.put(component.getName(), value);
                }
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("a record accessor failed", e);
        }
        attributes.put("operations", statistics.operations());
        attributes.put("submissionsPerKernelCall", statistics.submissionsPerKernelCall());
        return attributes;
    }

    private static String capitalized(Object kind) {
        String name = kind.toString();
        return name.substring(0, 1).toUpperCase(Locale.ROOT) + name.substring(1);
    }

    @Override
    public Object getAttribute(String attribute) throws AttributeNotFoundException {
        Object value = attributes(Ringpark.statistics()).get(attribute);
        if (value == null) {
            throw new AttributeNotFoundException(attribute);
        }
        return value;
    }

    @Override
    public AttributeList getAttributes(String[] names) {
        Map<String, Object> all = attributes(Ringpark.statistics());
        AttributeList list = new AttributeList();
        for (String name : names) {
            if (all.containsKey(name)) {
                list.add(new Attribute(name, all.get(name)));
            }
        }
        return list;
    }

    @Override
    public void setAttribute(Attribute attribute) throws AttributeNotFoundException {
        throw new AttributeNotFoundException(attribute.getName() + " is read-only");
    }

    @Override
    public AttributeList setAttributes(AttributeList attributes) {
        return new AttributeList();
    }

    @Override
    public Object invoke(String actionName, Object[] params, String[] signature) {
        throw new UnsupportedOperationException("no operations: " + actionName);
    }

    @Override
    public MBeanInfo getMBeanInfo() {
        return info;
    }
}
